/**
 * The people directory: who works here, with email, phone and groups, read from Keycloak's admin
 * REST API by the server's service account and cached in memory with a periodic refresh.
 */
package com.vclick.core.directory;
