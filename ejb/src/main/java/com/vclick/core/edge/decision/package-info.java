/**
 * Secure Edge decisions as a service: the caller's groups from the directory, the stored policy,
 * relay credentials bound to user and origin, and one recorded row per decision.
 */
package com.vclick.core.edge.decision;
