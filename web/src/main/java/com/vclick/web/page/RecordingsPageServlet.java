package com.vclick.web.page;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The recordings page {@code /recordings} for compliance reviewers ({@code recordings.html}, {@code
 * recordings.js}). The page itself is public like the rest of the app; it signs in, and the API it
 * calls ({@code /api/recordings}) requires {@code recording-reviewer}.
 */
@WebServlet("/recordings")
public class RecordingsPageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    request.getRequestDispatcher("/recordings.html").forward(request, response);
  }
}
