/** Whether this server can do its job: database, identity provider, media server, directory. */
package com.vclick.core.health;
