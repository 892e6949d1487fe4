/*-------------------------------------------------------------------------
 *
 * engine.h
 *	  The interpreter: sfn_decide(plan, execution, thread, wake).
 *
 * sfn_decide() is deterministic and touches no table.  Given a compiled
 * plan, the execution's read-only facts, one thread (a position inside the
 * execution), why the thread woke, and the clock, it advances the thread as
 * far as it can go without an external effect and reports:
 *
 *	 - the history events to append (exec->events, ids assigned from
 *	   exec->last_event_id),
 *	 - the thread's new position (state, phase, input, due_at),
 *	 - whether the execution ended (exec->status and output/error/cause).
 *
 * The store layer loads these structs, calls sfn_decide and writes the
 * result in the same transaction (store/runner.c); sfn_test_state runs the
 * same function with no execution behind it.
 *
 *	 - the effects to carry out (exec->effects): a task attempt to invoke,
 *	   with its parameters and, for .waitForTaskToken, its token.
 *
 * Thread phases (next phases in brackets):
 *	 ENTER	 about to enter `state` with `input`    [ENTER, WAITING, TASK, done]
 *	 WAITING a Wait state was entered; resume at due_at        [ENTER, done]
 *	 TASK	 a task attempt (task_event_id) is out; due_at is its nearest
 *			 deadline (TimeoutSeconds, HeartbeatSeconds) or 0
 *											   [ENTER, RETRY, TASK, done]
 *	 RETRY	 a task failed and a retrier matched; try again at due_at  [TASK]
 *			 (a Parallel or Map state: [FANOUT])
 *	 FANOUT	 a Parallel or Map state's child threads run; the parent goes on
 *			 when they have ended (engine/threads.c)    [ENTER, RETRY, done]
 *	 DONE, FAILED  a child thread ended with result; kept until its parent
 *			 collects it
 *
 * A wake-up carries what happened: the thread is due (RUN: a Wait ended,
 * a retry or a deadline is due), the execution timed out, or a task
 * attempt answered (succeeded, failed, started, heartbeat).  Answers for
 * another attempt than the thread's current one are stale and ignored.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_ENGINE_H
#define SFN_ENGINE_H

#include "postgres.h"
#include "nodes/pg_list.h"
#include "utils/timestamp.h"

#include "asl/plan.h"

typedef enum SfnPhase
{
	SFN_PHASE_ENTER = 0,
	SFN_PHASE_WAITING = 1,
	SFN_PHASE_TASK = 2,
	SFN_PHASE_RETRY = 3,
	SFN_PHASE_FANOUT = 4,		/* a Parallel or Map state's children run */
	SFN_PHASE_DONE = 5,			/* a child thread ended; its parent collects it */
	SFN_PHASE_FAILED = 6		/* a child thread failed; its parent collects it */
} SfnPhase;

typedef enum SfnWakeKind
{
	SFN_WAKE_RUN,				/* the thread is due: run it */
	SFN_WAKE_TIMEOUT,			/* the execution's TimeoutSeconds passed */
	SFN_WAKE_TASK_SUCCEEDED,	/* output */
	SFN_WAKE_TASK_FAILED,		/* error, cause */
	SFN_WAKE_TASK_STARTED,		/* an activity worker took the task */
	SFN_WAKE_TASK_HEARTBEAT		/* the task is alive */
} SfnWakeKind;

typedef struct SfnWake
{
	SfnWakeKind kind;
	int32		task_event_id;	/* the attempt answered (its TaskScheduled id) */
	bool		callback;		/* through the task token (sfn_send_task_*) */
	JsonbValue *output;
	const char *error;
	const char *cause;
	const char *worker_name;	/* STARTED */
} SfnWake;

/*
 * A Distributed Map state's map run to start (engine/map_distributed.c):
 * what the tasks layer needs to read the items and create the children.
 */
typedef struct SfnMapRunSpec
{
	const char *arn;			/* the mapRun ARN */
	const char *uuid;			/* its last part */
	const char *label;			/* Label, or NULL */
	JsonbValue *input;			/* the state's effective input: ItemSelector's $ */
	JsonbValue *context;		/* $$ of the visit; Map.Item is added per item */
	JsonbValue *items;			/* the items from the input, NULL with an ItemReader */
	JsonbValue *reader;			/* ItemReader, Parameters evaluated; or NULL */
	int64		max_concurrency;	/* 0 = no limit */
	int64		tolerated_count;	/* -1 when not given */
	double		tolerated_percentage;	/* -1 when not given */
	JsonbValue *result_writer;	/* ResultWriter, Parameters evaluated; or NULL */
	int			max_payload;	/* bytes: a child's input at most */
	JsonbValue *variables;		/* the thread's workflow variables (JSONata
								 * ItemSelector reads them), or NULL */
} SfnMapRunSpec;

/* Carry out one task attempt (src/tasks/). */
typedef struct SfnEffect
{
	int32		thread_id;
	int32		task_event_id;	/* its TaskScheduled event */
	const SfnState *state;		/* the Task state: state->target says what to call */
	JsonbValue *parameters;		/* the effective parameters */
	int64		timeout_seconds;	/* 0 when none was given */
	const char *token;			/* .waitForTaskToken: the token, else NULL */
	const char *role_arn;		/* Credentials.RoleArn, else NULL */
	const SfnMapRunSpec *map_run;	/* a Distributed Map state: start this run */
} SfnEffect;

typedef enum SfnStatus
{
	SFN_RUNNING,
	SFN_SUCCEEDED,
	SFN_FAILED,
	SFN_TIMED_OUT,
	SFN_ABORTED
} SfnStatus;

typedef struct SfnEvent
{
	int32		id;
	int32		previous_id;
	TimestampTz ts;
	const char *type;			/* AWS HistoryEvent type */
	JsonbValue *details;		/* the *EventDetails object, or NULL */
} SfnEvent;

/*
 * TestState's mock: the result, or the error and cause, that a Task, Map or
 * Parallel state gets instead of running.
 */
typedef struct SfnMock
{
	JsonbValue *result;			/* NULL when the mock is an error */
	const char *error;
	const char *cause;
	int			map_failure_count;	/* failed Map iterations (stateConfiguration) */
} SfnMock;

/*
 * TestState's inspectionData: the value after each data-flow step of the
 * state run, NULL where the step was not reached; -1 where no Retry or
 * Catch applied.
 */
typedef struct SfnInspection
{
	JsonbValue *input;
	JsonbValue *after_input_path;
	JsonbValue *after_items_path;
	JsonbValue *after_parameters;
	JsonbValue *after_arguments;	/* JSONata Arguments */
	JsonbValue *result;
	JsonbValue *after_result_selector;
	JsonbValue *after_result_path;
	int			retry_index;
	int64		retry_backoff_seconds;
	int			catch_index;
	const char *error;			/* the error Retry or Catch handled */
	const char *cause;
} SfnInspection;

/* What the engine knows of an execution; filled by the caller. */
typedef struct SfnExecution
{
	/* facts */
	int64		id;
	const char *arn;
	const char *name;
	const char *sm_arn;
	const char *sm_name;
	const char *role_arn;
	const char *region;
	JsonbValue *input;
	TimestampTz start_date;
	int32		redrive_count;
	TimestampTz now;			/* the clock for this call */
	int			max_transitions;	/* budget per call; then yield */
	int			max_events;		/* history limit (pg_sfn.max_history_events) */
	int			max_payload;	/* bytes (pg_sfn.max_payload_size) */
	uint64		seed;			/* drives FULL jitter: fixed per execution */
	bool		limit_inline_tasks; /* yield before a task past max_inline_tasks */
	int			max_inline_tasks;	/* tasks that run inline (SQL) allowed */
	int			inline_tasks;	/* in/out: such tasks scheduled so far */
	const char *fresh_token;	/* unguessable; used if a task needs a token */
	int32		next_thread_id; /* in/out: id of the next thread created */

	/* TestState only; NULL in executions */
	JsonbValue *context;		/* when set, $$ is this object */
	const SfnMock *mock;		/* Task, Map and Parallel states get this */
	SfnInspection *inspect;		/* filled as the state runs */

	/*
	 * The parts of the context object ($$) that are the same for every
	 * state of the execution: built by the first sfn_context_object() of
	 * the caller's struct and shared (read-only) by the rest.  Zero them
	 * with the struct.
	 */
	JsonbValue *ctx_execution;
	JsonbValue *ctx_state_machine;

	/* results */
	int32		last_event_id;	/* in: last id written; out: last appended */
	List	   *events;			/* out: SfnEvent *, in id order */
	List	   *effects;		/* out: SfnEffect *, to carry out */
	List	   *new_threads;	/* out: SfnThread * started (branches, iterations) */
	SfnStatus	status;
	JsonbValue *output;
	char	   *error;
	char	   *cause;
} SfnExecution;

typedef struct SfnThread
{
	int32		thread_id;
	int			state;			/* index into plan->states */
	SfnPhase	phase;
	JsonbValue *input;			/* the current state's input */
	TimestampTz entered_at;
	int32		entered_event_id;
	int32		last_event_id;	/* previousEventId of the thread's next event */
	int32		retry_count;	/* $$.State.RetryCount: retries in this visit */
	int32		n_retry_counts; /* per retrier of the state, in order */
	int32	   *retry_counts;
	TimestampTz due_at;			/* WAITING, RETRY: when; TASK: nearest deadline */
	int32		task_event_id;	/* TASK: the attempt's TaskScheduled event */
	TimestampTz task_deadline;	/* TASK: TimeoutSeconds passes, 0 = none */
	TimestampTz heartbeat_deadline; /* TASK: HeartbeatSeconds passes, 0 = none */
	int32		heartbeat_seconds;
	JsonbValue *variables;		/* the workflow variables this thread sees: a
								 * JSON object, NULL when none (issue 9) */
	bool		done;			/* out: the thread ended */

	/* Parallel branches and Map iterations (engine/threads.c) */
	int32		parent_id;		/* the parent thread; -1 at the top level */
	int32		index;			/* branch or item index under the parent */
	const SfnPlan *plan;		/* the (nested) plan the thread runs */
	JsonbValue *result;			/* done child: output, or {Error, Cause} */
	bool		failed;			/* done child: ended with an error */
	bool		removed;		/* out: the row goes (collected, aborted) */
	bool		touched;		/* out: the row changed */
	int32		n_children;		/* FANOUT: children started (not collected) */
	int32		n_running;		/* FANOUT: ... of them still running */
	int32		n_failed;		/* FANOUT: ... of them failed */
	int32		n_items;		/* FANOUT Map: its items, once concurrency is set */
	int32		concurrency;	/* FANOUT Map: iterations at once; 0 = not known yet */
	JsonbValue *map_effective;	/* FANOUT Map: its effective input, once known */
	JsonbValue *map_items;		/* FANOUT Map: its items, once known */
	int32		end_prev_id;	/* FANOUT: previousEventId of *StateSucceeded */
} SfnThread;

extern void sfn_decide(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
					   const SfnWake *wake);

/*
 * Every thread of an execution (engine/threads.c): threads is the list of
 * its live threads (SfnThread *, thread_id order, thread 0 first) and
 * grows by the children started.  A task answer goes to the thread whose
 * attempt it answers; RUN runs each runnable thread once, and a parent
 * whose children ended goes on.  Threads with `removed` set are to be
 * deleted, those with `touched` written.
 */
extern void sfn_decide_threads(SfnExecution *exec, List **threads, const SfnWake *wake);

/* Once the threads are loaded, before the first sfn_decide_threads(). */
extern void sfn_threads_loaded(List *threads);

/* The thread waiting for the task attempt task_event_id, or NULL. */
extern SfnThread *sfn_thread_for_answer(List *threads, int32 task_event_id);

/* Can some thread go on now (without a wake-up from outside)? */
extern bool sfn_threads_runnable(const SfnExecution *exec, List *threads);

/* Earliest due_at of a blocked thread; 0 when none has one. */
extern TimestampTz sfn_threads_next_due(List *threads);

/* A wake-up with no payload (RUN or TIMEOUT). */
extern SfnWake sfn_wake(SfnWakeKind kind);

/* Start a thread at plan->start with the given input. */
extern void sfn_thread_init(SfnThread *thread, const SfnPlan *plan, JsonbValue *input);

extern const char *sfn_status_name(SfnStatus s);

/*
 * Distributed Map: the children's inputs from the items (ItemSelector with
 * $$.Map.Item, ItemBatcher), as a JSON array; false with err set.
 */
extern bool sfn_map_child_inputs(const SfnState *st, const SfnMapRunSpec *spec,
								 JsonbValue *items, JsonbValue **inputs, SfnError *err);

/* Is this Map state DISTRIBUTED (ProcessorConfig.Mode)? */
extern bool sfn_map_is_distributed(const SfnState *st);

/* ISO 8601 UTC with milliseconds, as AWS prints timestamps. */
extern char *sfn_format_timestamp(TimestampTz ts);

/* Append an event to exec->events; previous is the previousEventId. */
extern SfnEvent *sfn_emit(SfnExecution *exec, int32 previous, const char *type,
						  JsonbValue *details);

#endif							/* SFN_ENGINE_H */
