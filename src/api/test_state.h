/*-------------------------------------------------------------------------
 *
 * test_state.h
 *	  TestState's arguments beyond the definition and input: mock, context
 *	  and stateConfiguration, checked as AWS's TestState API checks them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_API_TEST_STATE_H
#define SFN_API_TEST_STATE_H

#include "postgres.h"

#include "asl/plan.h"
#include "engine/engine.h"

/* stateConfiguration; -1 or NULL where not given */
typedef struct SfnTestStateConfig
{
	int			retrier_retry_count;
	int			map_iteration_failure_count;
	char	   *error_caused_by_state;
	char	   *map_item_reader_data;
} SfnTestStateConfig;

/*
 * The mock argument for the state st (a Task, Map or Parallel state); mock
 * is the argument, never NULL.  Raises ValidationException as AWS does.
 */
extern SfnMock *sfn_test_state_mock(JsonbValue *mock, const SfnState *st, bool reveal_secrets);

/* The context argument: the object $$ becomes for the state st. */
extern JsonbValue *sfn_test_state_context(JsonbValue *context, const SfnState *st);

/* The stateConfiguration argument, checked against the state and mock. */
extern void sfn_test_state_config(JsonbValue *config, const SfnState *st,
								  const SfnMock *mock, SfnTestStateConfig *out);

#endif							/* SFN_API_TEST_STATE_H */
