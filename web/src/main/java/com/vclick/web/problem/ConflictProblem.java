package com.vclick.web.problem;

import jakarta.ws.rs.ClientErrorException;

/** A 409 whose detail reaches the client: the request was based on a state that has changed. */
public class ConflictProblem extends ClientErrorException {

  private static final long serialVersionUID = 1L;

  public ConflictProblem(String detail) {
    super(Problem.of(409, detail).toResponse());
  }
}
