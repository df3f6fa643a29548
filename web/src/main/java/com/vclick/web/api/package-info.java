/** The REST resources under {@code /api}; each maps HTTP onto one core service. */
package com.vclick.web.api;
