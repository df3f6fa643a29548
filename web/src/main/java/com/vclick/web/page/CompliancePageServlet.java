package com.vclick.web.page;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The compliance view {@code /compliance} for compliance reviewers ({@code compliance.html}, {@code
 * compliance.js}). The page itself is public like the rest of the app; it signs in, and the API it
 * calls ({@code /api/recordings/compliance}) requires {@code recording-reviewer}.
 */
@WebServlet("/compliance")
public class CompliancePageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    request.getRequestDispatcher("/compliance.html").forward(request, response);
  }
}
