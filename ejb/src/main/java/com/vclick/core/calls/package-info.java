/** Two-party calls: the server-owned state machine (ringing → active → ended) and its log. */
package com.vclick.core.calls;
