package com.vclick.web.http;

import com.vclick.core.config.HttpConfig;
import com.vclick.web.problem.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Refuses request bodies above {@code vclick.http.max-body-bytes} with 413, whether announced by
 * Content-Length or streamed in chunks, before any resource reads them. {@code PUT
 * /api/edge/policy} alone, which carries a whole Secure Edge policy, has the larger {@code
 * vclick.http.max-policy-body-bytes}; any other spelling of that path gets the general limit.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class RequestSizeLimitFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  private static final long DISCARD_LIMIT = 8L * 1024 * 1024;
  private static final String POLICY_PATH = "/api/edge/policy";

  @Inject transient HttpConfig config;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    int max = limitFor(request);
    if (request.getContentLengthLong() > max) {
      discardBody(request);
      tooLarge(response, max);
      return;
    }
    var limited = new LimitedRequest(request, max);
    try {
      chain.doFilter(limited, response);
    } catch (BodyTooLargeException e) {
      if (!response.isCommitted()) {
        response.reset();
        tooLarge(response, max);
      }
    }
  }

  private int limitFor(HttpServletRequest request) {
    boolean policy =
        "PUT".equals(request.getMethod())
            && (request.getContextPath() + POLICY_PATH).equals(request.getRequestURI());
    return policy ? config.maxPolicyBodyBytes() : config.maxBodyBytes();
  }

  /**
   * Reads and drops a refused body up to a bound, so that clients which finish sending before they
   * read the answer get the 413 instead of a stalled connection; beyond the bound the connection is
   * closed.
   */
  private static void discardBody(HttpServletRequest request) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long left = DISCARD_LIMIT;
    var in = request.getInputStream();
    int n;
    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= n;
    }
  }

  private static void tooLarge(HttpServletResponse response, int max) throws IOException {
    response.setStatus(413);
    response.setContentType(Problem.MEDIA_TYPE);
    response.setHeader("Connection", "close");
    byte[] body =
        Problem.of(413, "The request body is larger than " + max + " bytes.")
            .toJson()
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Thrown by the counting stream once the limit is passed. */
  public static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException() {
      super("request body too large");
    }
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private final int max;
    private ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, int max) {
      super(request);
      this.max = max;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CountingStream(super.getInputStream(), max);
      }
      return stream;
    }
  }

  private static final class CountingStream extends ServletInputStream {
    private final ServletInputStream in;
    private final int max;
    private long read;

    CountingStream(ServletInputStream in, int max) {
      this.in = in;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      read += n;
      if (read > max) {
        throw new BodyTooLargeException();
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
