package com.vclick.web.page;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The deep links {@code /call?to=<email>} and {@code /call?id=<callId>&answer=1} (used by the
 * extension) open the web app, which reads the query itself.
 */
@WebServlet("/call")
public class CallPageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    request.getRequestDispatcher("/index.html").forward(request, response);
  }
}
