/*-------------------------------------------------------------------------
 *
 * format.c
 *	  printf-style formatting into palloc'd strings from a va_list.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "support/format.h"

char *
sfn_vformat(const char *fmt, va_list args)
{
	StringInfoData buf;

	/* appendStringInfoVA may need several tries and consumes its va_list */
	initStringInfo(&buf);
	for (;;)
	{
		va_list		copy;
		int			needed;

		va_copy(copy, args);
		needed = appendStringInfoVA(&buf, fmt, copy);
		va_end(copy);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	return buf.data;
}
