package com.vclick.web.problem;

import jakarta.ws.rs.BadRequestException;

/** A 400 whose detail reaches the client (ours, never an exception's message). */
public class BadRequestProblem extends BadRequestException {

  private static final long serialVersionUID = 1L;

  public BadRequestProblem(String detail) {
    super(Problem.of(400, detail).toResponse());
  }
}
