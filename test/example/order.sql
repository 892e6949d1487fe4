-- The example workflow run by scripts/start: an order that is checked
-- (Choice), waits briefly (Wait), is shaped (Pass), and fails on a bad
-- amount (Fail).  Prints both executions' histories.

\set ON_ERROR_STOP 1
SELECT sfn_create_state_machine('example-order', $json$
{
  "Comment": "Check an order, wait a moment, then confirm it or reject it",
  "StartAt": "CheckAmount",
  "States": {
    "CheckAmount": {
      "Type": "Choice",
      "Choices": [
        {"Variable": "$.amount", "NumericGreaterThan": 0, "Next": "Hold"}
      ],
      "Default": "Reject"
    },
    "Hold": {"Type": "Wait", "Seconds": 1, "Next": "Confirm"},
    "Confirm": {
      "Type": "Pass",
      "Parameters": {
        "orderId.$": "$.orderId",
        "message.$": "States.Format('order {} confirmed for {} EUR', $.orderId, $.amount)",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.confirmation",
      "End": true
    },
    "Reject": {"Type": "Fail", "Error": "InvalidAmount", "Cause": "The amount must be positive"}
  }
}
$json$) AS state_machine_arn
\gset
-- Re-running the example replaces the definition (a new revision).
SELECT sfn_update_state_machine('example-order', definition)
FROM sfn.state_machine_revisions r JOIN sfn.state_machines sm ON sm.id = r.state_machine_id
WHERE sm.name = 'example-order' AND r.revision = sm.revision \gset

SELECT sfn_start_execution('example-order', '{"orderId": 42, "amount": 19.5}') AS good \gset
SELECT sfn_start_execution('example-order', '{"orderId": 43, "amount": -1}') AS bad \gset

-- Wait (at most 10 s each) until both have finished.
SELECT sfn.wait_execution(:'good') AS good_status, sfn.wait_execution(:'bad') AS bad_status \gset

\echo
\echo '== execution 1: a valid order'
SELECT sfn_describe_execution(:'good') ->> 'status' AS status,
       sfn_describe_execution(:'good') ->> 'output' AS output;
SELECT id, previous_event_id AS prev, to_char("timestamp", 'HH24:MI:SS.MS') AS time, type,
       coalesce(details ->> 'name', details ->> 'error', '') AS state_or_error
FROM sfn_get_execution_history(:'good');

\echo '== execution 2: a negative amount'
SELECT sfn_describe_execution(:'bad') ->> 'status' AS status,
       sfn_describe_execution(:'bad') ->> 'error' AS error,
       sfn_describe_execution(:'bad') ->> 'cause' AS cause;
SELECT id, previous_event_id AS prev, to_char("timestamp", 'HH24:MI:SS.MS') AS time, type,
       coalesce(details ->> 'name', details ->> 'error', '') AS state_or_error
FROM sfn_get_execution_history(:'bad');
