/*-------------------------------------------------------------------------
 *
 * http_allow.c
 *	  The allowlist of HTTP task hosts (see http_allow.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "lib/stringinfo.h"
#include "utils/memutils.h"

#include "tasks/http_allow.h"

/* An address or network; IPv4 is kept as IPv4-mapped IPv6. */
typedef struct SfnHttpNet
{
	uint8		addr[16];
	int			bits;
} SfnHttpNet;

/*
 * Refused unless listed by address: unspecified, loopback, link-local (the
 * metadata services of AWS, GCP, Azure and others live at 169.254.169.254),
 * multicast, broadcast, and other clouds' metadata addresses.
 */
static const char *const refused_nets[] = {
	"0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
	"100.100.100.200/32", "168.63.129.16/32",
	"::/128", "::1/128", "fe80::/10", "ff00::/8", "fd00:ec2::254/128",
};

static bool
parse_addr(const char *text, uint8 *out, int *maxbits)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (inet_pton(AF_INET, text, &v4) == 1)
	{
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &v4, 4);
		*maxbits = 32;
		return true;
	}
	if (inet_pton(AF_INET6, text, &v6) == 1)
	{
		memcpy(out, &v6, 16);
		*maxbits = 128;
		return true;
	}
	return false;
}

/* "addr" or "addr/bits", IPv6 possibly in brackets. */
static bool
parse_net(const char *entry, SfnHttpNet *net)
{
	char	   *copy = pstrdup(entry);
	char	   *slash = strchr(copy, '/');
	char	   *a = copy;
	int			maxbits;
	int			bits = -1;

	if (slash)
	{
		char	   *end;
		long		b;

		*slash = '\0';
		b = strtol(slash + 1, &end, 10);
		if (*end != '\0' || end == slash + 1 || b < 0 || b > 128)
			return false;
		bits = (int) b;
	}
	if (a[0] == '[' && a[strlen(a) - 1] == ']')
	{
		a[strlen(a) - 1] = '\0';
		a++;
	}
	if (!parse_addr(a, net->addr, &maxbits))
		return false;
	if (bits > maxbits)
		return false;
	net->bits = (bits < 0 ? 128 : bits + (128 - maxbits));
	return true;
}

static bool
in_net(const uint8 *addr, const SfnHttpNet *net)
{
	int			full = net->bits / 8;
	int			rest = net->bits % 8;

	if (memcmp(addr, net->addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((addr[full] ^ net->addr[full]) & (0xff << (8 - rest))) == 0;
}

static bool
in_any(const uint8 *addr, List *nets)
{
	ListCell   *lc;

	foreach(lc, nets)
	{
		if (in_net(addr, (SfnHttpNet *) lfirst(lc)))
			return true;
	}
	return false;
}

static bool
refused(const uint8 *addr)
{
	static List *nets = NIL;

	if (nets == NIL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		for (size_t i = 0; i < lengthof(refused_nets); i++)
		{
			SfnHttpNet *net = palloc(sizeof(SfnHttpNet));

			if (!parse_net(refused_nets[i], net))
				elog(ERROR, "bad built-in network %s", refused_nets[i]);
			nets = lappend(nets, net);
		}
		MemoryContextSwitchTo(old);
	}
	return in_any(addr, nets);
}

void
sfn_http_allow_parse(const char *setting, SfnHttpAllowlist *al, char **bad)
{
	char	   *copy = pstrdup(setting ? setting : "");
	char	   *save = NULL;
	StringInfoData badlist;

	memset(al, 0, sizeof(*al));
	initStringInfo(&badlist);
	/* Build the refused list now: the address check runs inside libcurl. */
	{
		static const uint8 zero[16] = {0};

		(void) refused(zero);
	}
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
	{
		char	   *e = tok;
		char	   *end;
		SfnHttpNet *net = palloc(sizeof(SfnHttpNet));

		while (*e == ' ' || *e == '\t')
			e++;
		end = e + strlen(e);
		while (end > e && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*e == '\0')
			continue;
		for (char *p = e; *p; p++)
			*p = pg_ascii_tolower((unsigned char) *p);
		if (strcmp(e, "*") == 0)
			al->any_name = true;
		else if (parse_net(e, net))
			al->nets = lappend(al->nets, net);
		else if (strspn(e, "abcdefghijklmnopqrstuvwxyz0123456789-.*") == strlen(e) &&
				 strchr(e + (strncmp(e, "*.", 2) == 0 ? 2 : 0), '*') == NULL)
			al->names = lappend(al->names, pstrdup(e));
		else
			appendStringInfo(&badlist, "%s\"%s\"", badlist.len ? ", " : "", e);
	}
	*bad = badlist.len ? badlist.data : NULL;
}

bool
sfn_http_host_allowed(const SfnHttpAllowlist *al, const char *host)
{
	char	   *h = pstrdup(host);
	uint8		addr[16];
	int			maxbits;
	size_t		len;
	ListCell   *lc;

	len = strlen(h);
	if (len >= 2 && h[0] == '[' && h[len - 1] == ']')
	{
		h[len - 1] = '\0';
		h++;
	}
	/* An address: listed, or any host allowed (the address check follows). */
	if (parse_addr(h, addr, &maxbits))
		return al->any_name || in_any(addr, al->nets);
	for (char *p = h; *p; p++)
		*p = pg_ascii_tolower((unsigned char) *p);
	len = strlen(h);
	if (len > 0 && h[len - 1] == '.')
		h[--len] = '\0';		/* the root label */
	if (al->any_name)
		return true;
	foreach(lc, al->names)
	{
		const char *n = (const char *) lfirst(lc);

		if (strncmp(n, "*.", 2) == 0)
		{
			size_t		sl = strlen(n + 1);	/* ".example.com" */

			if (len > sl && strcmp(h + len - sl, n + 1) == 0)
				return true;
		}
		else if (strcmp(h, n) == 0)
			return true;
	}
	return false;
}

bool
sfn_http_addr_allowed(const SfnHttpAllowlist *al, const struct sockaddr *sa, bool host_matched)
{
	uint8		addr[16];

	if (sa->sa_family == AF_INET)
	{
		memset(addr, 0, 10);
		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, &((const struct sockaddr_in *) sa)->sin_addr, 4);
	}
	else if (sa->sa_family == AF_INET6)
		memcpy(addr, &((const struct sockaddr_in6 *) sa)->sin6_addr, 16);
	else
		return false;
	if (in_any(addr, al->nets))
		return true;
	return host_matched && !refused(addr);
}
