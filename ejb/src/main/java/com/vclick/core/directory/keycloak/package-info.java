/**
 * Reads the directory from Keycloak's admin REST API with {@code java.net.http} and JSON-P (the
 * RESTEasy-based keycloak-admin-client breaks Jersey inside Payara, see FINDINGS.md). The server
 * signs in with the client-credentials grant of its confidential client, whose service account may
 * only view users and groups.
 */
package com.vclick.core.directory.keycloak;
