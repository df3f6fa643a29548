package com.vclick.web.page;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The Secure Edge admin page {@code /admin/edge}: the policy editor of the web app ({@code
 * admin/edge.html}, {@code edge-admin.js}). The page itself is public like the rest of the app; it
 * signs in and the API it calls ({@code /api/edge/policy}) requires {@code edge-admin}.
 */
@WebServlet("/admin/edge")
public class EdgeAdminPageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    request.getRequestDispatcher("/admin/edge.html").forward(request, response);
  }
}
