/**
 * Where the Secure Edge policy lives: one versioned row and the rules in order, replaced whole and
 * audited; held in memory for decisions and re-read when its version changes.
 */
package com.vclick.core.edge.store;
