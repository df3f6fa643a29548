/**
 * Whether this server can do its job: database, identity provider, media server, directory. Probed
 * in the background ({@link com.vclick.core.health.HealthService}); requests read the cached
 * report.
 */
package com.vclick.core.health;
