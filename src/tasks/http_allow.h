/*-------------------------------------------------------------------------
 *
 * http_allow.h
 *	  Which hosts HTTP tasks may call (pg_sfn.http_allowed_hosts).
 *
 * The setting is a comma-separated list of entries:
 *	  *					any host name, any address but the refused ones
 *	  example.com		that host name
 *	  *.example.com		any name under example.com
 *	  192.0.2.7, ::1	that address (host names resolving to it too)
 *	  10.0.0.0/8		addresses in that network
 * Two checks: the URL's host (before DNS, and again for each redirect) must
 * match an entry; the address a connection is about to be opened to (after
 * DNS, so rebinding cannot slip past) must be listed by address or network,
 * or else not be loopback, link-local, unspecified, multicast or a cloud
 * metadata address, and belong to a host that matched by name.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_HTTP_ALLOW_H
#define SFN_HTTP_ALLOW_H

#include "postgres.h"

#include <sys/socket.h>

#include "nodes/pg_list.h"

typedef struct SfnHttpAllowlist
{
	bool		any_name;		/* "*" */
	List	   *names;			/* lower-case names; "*.x" for a suffix */
	List	   *nets;			/* SfnHttpNet * */
} SfnHttpAllowlist;

/*
 * Parse the setting into *al (allocated in CurrentMemoryContext).  Entries
 * that are not understood are skipped and named in *bad (NULL if none).
 */
extern void sfn_http_allow_parse(const char *setting, SfnHttpAllowlist *al, char **bad);

/* Does the URL host (a name, an address, or "[v6 address]") match? */
extern bool sfn_http_host_allowed(const SfnHttpAllowlist *al, const char *host);

/*
 * May a connection be opened to this address?  host_matched: the host it
 * belongs to passed sfn_http_host_allowed.
 */
extern bool sfn_http_addr_allowed(const SfnHttpAllowlist *al, const struct sockaddr *sa,
								  bool host_matched);

#endif							/* SFN_HTTP_ALLOW_H */
