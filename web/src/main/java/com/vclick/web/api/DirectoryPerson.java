package com.vclick.web.api;

import com.vclick.core.directory.DirectoryEntry;

/**
 * What a caller sees of a colleague in a directory search: enough to recognise, reach and show the
 * presence of them (presence is keyed by {@code id}), not their groups, which say what they may do.
 *
 * @param id the Keycloak user id (presence and calls are keyed by it)
 * @param username the login name (call links may name a person by it)
 * @param displayName first and last name, or the username
 * @param email the email address, empty when unknown
 * @param phoneNumber the phone number in E.164, empty when unknown
 */
public record DirectoryPerson(
    String id, String username, String displayName, String email, String phoneNumber) {

  static DirectoryPerson of(DirectoryEntry entry) {
    return new DirectoryPerson(
        entry.id(), entry.username(), entry.displayName(), entry.email(), entry.phoneNumber());
  }
}
