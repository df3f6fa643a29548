/**
 * The JSON form of a Secure Edge policy, shared by the REST API and the database: canonical when
 * written, strict when read, and always built through the domain's validation.
 */
package com.vclick.core.edge.json;
