/**
 * Who is reachable: a person is online while any of their connections (tabs, the extension) is
 * open, busy while in a call. Changes go only to the connections that watch that person (those who
 * looked them up or have them on screen), never to everyone.
 */
package com.vclick.core.presence;
