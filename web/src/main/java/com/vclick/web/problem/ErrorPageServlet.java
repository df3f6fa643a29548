package com.vclick.web.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Errors raised by the container itself (a token the MP-JWT mechanism rejects, an unknown path)
 * answered as problems too, instead of the server's HTML error page. Wired in web.xml.
 */
@WebServlet("/error-page")
public class ErrorPageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer value ? value : 500;
    response.setStatus(status);
    response.setContentType(Problem.MEDIA_TYPE);
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"vclick\"");
    }
    byte[] body = Problem.forStatus(status).toJson().toString().getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
