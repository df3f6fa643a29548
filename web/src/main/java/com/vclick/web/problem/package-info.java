/**
 * Errors as RFC 9457 problem details ({@code application/problem+json}): a status, a short title
 * and a detail a person can act on; never a stack trace, never internal names.
 */
package com.vclick.web.problem;
