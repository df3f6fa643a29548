package com.vclick.web.http;

import com.vclick.web.problem.BadRequestProblem;

/** Checks of query parameters shared by the resources; a bad value is a 400 problem. */
public final class QueryParameters {

  private QueryParameters() {}

  /**
   * The {@code limit} parameter as a whole number from 1 to {@code max}.
   *
   * @throws BadRequestProblem for anything else
   */
  public static int limit(String value, int max) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestProblem("limit must be a whole number from 1 to " + max + ".");
  }
}
