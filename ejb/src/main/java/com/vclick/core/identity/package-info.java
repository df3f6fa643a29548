/**
 * Who is calling: the authenticated {@link com.vclick.core.identity.Caller} and the realm roles.
 */
package com.vclick.core.identity;
