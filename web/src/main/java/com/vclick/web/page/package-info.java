/** Pages of the web app served under their own paths. */
package com.vclick.web.page;
