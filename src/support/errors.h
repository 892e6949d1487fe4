/*-------------------------------------------------------------------------
 *
 * errors.h
 *	  SQLSTATEs and AWS error names raised by pg_sfn's SQL API.
 *
 * Every user-facing ERROR carries one of these SQLSTATEs (class "SF") and
 * starts its message with the AWS error name, so callers can match either.
 * The list is part of the public API: never renumber, only append.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_ERRORS_H
#define SFN_ERRORS_H

#include "utils/elog.h"

#define ERRCODE_SFN_INVALID_DEFINITION			MAKE_SQLSTATE('S','F','0','0','1')
#define ERRCODE_SFN_INVALID_NAME				MAKE_SQLSTATE('S','F','0','0','2')
#define ERRCODE_SFN_STATE_MACHINE_ALREADY_EXISTS MAKE_SQLSTATE('S','F','0','0','3')
#define ERRCODE_SFN_STATE_MACHINE_DOES_NOT_EXIST MAKE_SQLSTATE('S','F','0','0','4')
#define ERRCODE_SFN_EXECUTION_ALREADY_EXISTS	MAKE_SQLSTATE('S','F','0','0','5')
#define ERRCODE_SFN_EXECUTION_DOES_NOT_EXIST	MAKE_SQLSTATE('S','F','0','0','6')
#define ERRCODE_SFN_INVALID_EXECUTION_INPUT		MAKE_SQLSTATE('S','F','0','0','7')
#define ERRCODE_SFN_INVALID_ARN					MAKE_SQLSTATE('S','F','0','0','8')
#define ERRCODE_SFN_VALIDATION					MAKE_SQLSTATE('S','F','0','0','9')
#define ERRCODE_SFN_EXECUTION_NOT_RUNNING		MAKE_SQLSTATE('S','F','0','1','0')
#define ERRCODE_SFN_INVALID_OUTPUT				MAKE_SQLSTATE('S','F','0','1','1')
#define ERRCODE_SFN_STATE_MACHINE_TYPE_NOT_SUPPORTED MAKE_SQLSTATE('S','F','0','1','2')
#define ERRCODE_SFN_INVALID_TEST_STATE			MAKE_SQLSTATE('S','F','0','1','3')
#define ERRCODE_SFN_RESULT_PATH_MATCH_FAILURE	MAKE_SQLSTATE('S','F','0','1','4')
#define ERRCODE_SFN_INTRINSIC_FAILURE			MAKE_SQLSTATE('S','F','0','1','5')
#define ERRCODE_SFN_INVALID_TOKEN				MAKE_SQLSTATE('S','F','0','1','6')
#define ERRCODE_SFN_TASK_DOES_NOT_EXIST			MAKE_SQLSTATE('S','F','0','1','7')
#define ERRCODE_SFN_TASK_TIMED_OUT				MAKE_SQLSTATE('S','F','0','1','8')
#define ERRCODE_SFN_ACTIVITY_DOES_NOT_EXIST		MAKE_SQLSTATE('S','F','0','1','9')

/*
 * Raised by a SQL task's function to fail the task with an error name that
 * Retry and Catch match: the message is the error name, the detail the
 * cause (RAISE EXCEPTION 'PaymentDeclined' USING ERRCODE = 'SF900', ...).
 */
#define ERRCODE_SFN_TASK_ERROR					MAKE_SQLSTATE('S','F','9','0','0')
/* Connections of HTTP tasks (EventBridge's error names); from SF050 on. */
#define ERRCODE_SFN_RESOURCE_ALREADY_EXISTS		MAKE_SQLSTATE('S','F','0','5','0')
#define ERRCODE_SFN_RESOURCE_NOT_FOUND			MAKE_SQLSTATE('S','F','0','5','1')
#define ERRCODE_SFN_QUERY_EVALUATION_ERROR		MAKE_SQLSTATE('S','F','0','2','0')

#endif							/* SFN_ERRORS_H */
