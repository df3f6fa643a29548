package com.vclick.web.page;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The Secure Edge call log page {@code /edge/calls} ({@code edge/calls.html}, {@code
 * edge-calls.js}). The page itself is public like the rest of the app; it signs in, and the API it
 * calls ({@code /api/edge/calls}) decides who sees which calls (callers their own, {@code
 * edge-admin} all).
 */
@WebServlet("/edge/calls")
public class EdgeCallsPageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    request.getRequestDispatcher("/edge/calls.html").forward(request, response);
  }
}
