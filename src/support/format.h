/*-------------------------------------------------------------------------
 *
 * format.h
 *	  printf-style formatting into palloc'd strings from a va_list.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_FORMAT_H
#define SFN_FORMAT_H

#include "postgres.h"

#include <stdarg.h>

/* Like psprintf, for callers that have a va_list (args is not consumed). */
extern char *sfn_vformat(const char *fmt, va_list args) pg_attribute_printf(1, 0);

#endif							/* SFN_FORMAT_H */
