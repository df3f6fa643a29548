package com.vclick.core.directory;

import java.util.Locale;
import java.util.Set;

/**
 * One person of the enterprise directory.
 *
 * @param id the Keycloak user id
 * @param username the login name
 * @param displayName first and last name, or the username
 * @param email the email address, empty when unknown
 * @param phoneNumber the phone number in E.164, empty when unknown
 * @param groups the names of the person's groups
 */
public record DirectoryEntry(
    String id,
    String username,
    String displayName,
    String email,
    String phoneNumber,
    Set<String> groups) {

  public DirectoryEntry {
    email = email == null ? "" : email;
    phoneNumber = phoneNumber == null ? "" : phoneNumber;
    displayName = displayName == null || displayName.isBlank() ? username : displayName;
    groups = Set.copyOf(groups);
  }

  /** Case-insensitive match of a lower-cased query against name, username, email and phone. */
  boolean matches(String lowerCaseQuery) {
    return username.toLowerCase(Locale.ROOT).contains(lowerCaseQuery)
        || displayName.toLowerCase(Locale.ROOT).contains(lowerCaseQuery)
        || email.toLowerCase(Locale.ROOT).contains(lowerCaseQuery)
        || digits(phoneNumber).contains(digitsOrNothing(lowerCaseQuery));
  }

  private static String digitsOrNothing(String query) {
    String digits = digits(query);
    // A query without digits must not match every phone number through the empty string.
    return digits.isEmpty() ? "\u0000" : digits;
  }

  private static String digits(String text) {
    StringBuilder digits = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      }
    }
    return digits.toString();
  }
}
