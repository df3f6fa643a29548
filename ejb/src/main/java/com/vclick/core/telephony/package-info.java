/** Telephony gateways that phone numbers are called through. */
package com.vclick.core.telephony;
