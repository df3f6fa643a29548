/**
 * Typed configuration: one record per feature, read once from MicroProfile Config by {@link
 * com.vclick.core.config.ConfigProducer}. Every key and default is documented in CONFIG.md; secrets
 * have no default and come only from the environment.
 */
package com.vclick.core.config;
