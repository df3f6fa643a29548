/** HTTP-level protections and helpers: body size limits, security headers, JSON bodies. */
package com.vclick.web.http;
