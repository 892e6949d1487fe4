-- The example definitions of the AWS Step Functions developer guide, one or
-- more per state type: every one validates with no diagnostics.
\set SHOW_CONTEXT never
\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'

-- Hello World (getting started)
:v($${
  "Comment": "A Hello World example of the Amazon States Language using a Pass state",
  "StartAt": "HelloWorld",
  "States": {"HelloWorld": {"Type": "Pass", "Result": "Hello World!", "End": true}}}$$);

-- Pass state: Result with ResultPath
:v($${
  "Comment": "Pass state example",
  "StartAt": "No-op",
  "States": {
    "No-op": {
      "Type": "Pass",
      "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
      "ResultPath": "$.coords",
      "Next": "End"
    },
    "End": {"Type": "Succeed"}}}$$);

-- Task state: activity with timeouts; Lambda with Parameters
:v($${
  "StartAt": "ActivityState",
  "States": {
    "ActivityState": {
      "Type": "Task",
      "Resource": "arn:aws:states:us-east-1:123456789012:activity:HelloWorld",
      "TimeoutSeconds": 300,
      "HeartbeatSeconds": 60,
      "Next": "LambdaState"
    },
    "LambdaState": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {
        "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
        "Payload": {"Input.$": "$"}
      },
      "ResultSelector": {"body.$": "$.Payload"},
      "OutputPath": "$.body",
      "End": true
    }}}$$);
-- Task state: callback with a task token
:v($j${
  "StartAt": "Send message to SQS",
  "States": {
    "Send message to SQS": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {
        "QueueUrl": "https://sqs.us-east-2.amazonaws.com/123456789012/myQueue",
        "MessageBody": {"Message": "Hello from Step Functions!", "TaskToken.$": "$$.Task.Token"}
      },
      "TimeoutSecondsPath": "$.timeout",
      "End": true
    }}}$j$);

-- Choice state
:v($${
  "StartAt": "ChoiceStateX",
  "States": {
    "ChoiceStateX": {
      "Type": "Choice",
      "Choices": [
        {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
        {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
        {"And": [{"Variable": "$.value", "NumericGreaterThanEquals": 20},
                 {"Variable": "$.value", "NumericLessThan": 30}],
         "Next": "ValueInTwenties"},
        {"Variable": "$.rating", "IsPresent": true, "Next": "Public"},
        {"Variable": "$.name", "StringMatches": "*.log", "Next": "Public"},
        {"Variable": "$.created", "TimestampGreaterThan": "2023-01-01T00:00:00Z", "Next": "Public"}
      ],
      "Default": "DefaultState"
    },
    "Public": {"Type": "Pass", "Next": "NextState"},
    "ValueIsZero": {"Type": "Pass", "Next": "NextState"},
    "ValueInTwenties": {"Type": "Pass", "Next": "NextState"},
    "DefaultState": {"Type": "Fail", "Cause": "No Matches!"},
    "NextState": {"Type": "Succeed"}}}$$);

-- Wait state: each way of waiting
:v($${
  "StartAt": "wait_ten_seconds",
  "States": {
    "wait_ten_seconds": {"Type": "Wait", "Seconds": 10, "Next": "wait_until"},
    "wait_until": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "Next": "wait_until_path"},
    "wait_until_path": {"Type": "Wait", "TimestampPath": "$.expirydate", "Next": "wait_seconds_path"},
    "wait_seconds_path": {"Type": "Wait", "SecondsPath": "$.expiryseconds", "End": true}}}$$);

-- Succeed state
:v($${"StartAt": "SuccessState", "States": {"SuccessState": {"Type": "Succeed"}}}$$);

-- Fail state: literal, and ErrorPath/CausePath with an intrinsic function
:v($${"StartAt": "FailState", "States": {
  "FailState": {"Type": "Fail", "Error": "ErrorA", "Cause": "Kaiju attack"}}}$$);
:v($${"StartAt": "FailState", "States": {
  "FailState": {
    "Type": "Fail",
    "Comment": "my error comment",
    "ErrorPath": "$.Error",
    "CausePath": "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)"
  }}}$$);

-- Parallel state
:v($${
  "Comment": "Parallel Example.",
  "StartAt": "LookupCustomerInfo",
  "States": {
    "LookupCustomerInfo": {
      "Type": "Parallel",
      "End": true,
      "Branches": [
        {"StartAt": "LookupAddress",
         "States": {"LookupAddress": {
           "Type": "Task",
           "Resource": "arn:aws:lambda:us-east-1:123456789012:function:AddressFinder",
           "End": true}}},
        {"StartAt": "LookupPhone",
         "States": {"LookupPhone": {
           "Type": "Task",
           "Resource": "arn:aws:lambda:us-east-1:123456789012:function:PhoneFinder",
           "End": true}}}
      ]
    }}}$$);

-- Map state, inline mode
:v($j${
  "StartAt": "Validate-All",
  "States": {
    "Validate-All": {
      "Type": "Map",
      "InputPath": "$.detail",
      "ItemsPath": "$.shipped",
      "ItemSelector": {
        "parcel.$": "$$.Map.Item.Value",
        "courier.$": "$.delivery-partner"
      },
      "MaxConcurrency": 0,
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Validate",
        "States": {
          "Validate": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "OutputPath": "$.Payload",
            "Parameters": {
              "FunctionName": "arn:aws:lambda:us-east-2:123456789012:function:ship-val:$LATEST",
              "Payload.$": "$"
            },
            "End": true
          }
        }
      },
      "ResultPath": "$.detail.shipped",
      "End": true
    }}}$j$);
-- Map state, legacy Iterator form
:v($j${
  "StartAt": "ExampleMapState",
  "States": {
    "ExampleMapState": {
      "Type": "Map",
      "ItemsPath": "$.array",
      "Parameters": {"ContextIndex.$": "$$.Map.Item.Index", "ContextValue.$": "$$.Map.Item.Value"},
      "Iterator": {
        "StartAt": "TestPass",
        "States": {"TestPass": {"Type": "Pass", "End": true}}
      },
      "End": true
    }}}$j$);
-- Map state, distributed mode reading a CSV file from S3
:v($${
  "StartAt": "Map",
  "States": {
    "Map": {
      "Type": "Map",
      "ItemReader": {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
        "Parameters": {"Bucket": "amzn-s3-demo-bucket", "Key": "csvDataset/ratings.csv"}
      },
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
        "StartAt": "LambdaTask",
        "States": {
          "LambdaTask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "OutputPath": "$.Payload",
            "Parameters": {"Payload.$": "$", "FunctionName": "arn:aws:lambda:us-east-2:123456789012:function:processCSVData"},
            "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                       "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                       "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2}],
            "End": true
          }
        }
      },
      "Label": "Map",
      "MaxConcurrency": 1000,
      "ToleratedFailurePercentage": 5,
      "ItemBatcher": {"MaxItemsPerBatch": 10, "BatchInput": {"factCheck": "CSV data"}},
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                       "Parameters": {"Bucket": "amzn-s3-demo-destination-bucket", "Prefix": "csvProcessJobs"}},
      "End": true
    }}}$$);

-- error handling: retriers and catchers with fallback states
:v($${
  "Comment": "A Hello World example of the Amazon States Language using an AWS Lambda function",
  "StartAt": "HelloWorld",
  "States": {
    "HelloWorld": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:FailFunction",
      "Retry": [
        {"ErrorEquals": ["CustomError"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2.0},
        {"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 30, "MaxAttempts": 2, "BackoffRate": 2.0},
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5, "MaxAttempts": 5, "BackoffRate": 2.0,
         "MaxDelaySeconds": 60, "JitterStrategy": "FULL"}
      ],
      "Catch": [
        {"ErrorEquals": ["CustomError"], "Next": "CustomErrorFallback"},
        {"ErrorEquals": ["States.TaskFailed"], "Next": "ReservedTypeFallback"},
        {"ErrorEquals": ["States.ALL"], "Next": "CatchAllFallback", "ResultPath": "$.error-info"}
      ],
      "End": true
    },
    "CustomErrorFallback": {"Type": "Pass", "Result": "This is a fallback from a custom Lambda function exception", "End": true},
    "ReservedTypeFallback": {"Type": "Pass", "Result": "This is a fallback from a reserved error code", "End": true},
    "CatchAllFallback": {"Type": "Pass", "Result": "This is a fallback from any error code", "End": true}}}$$);

-- input and output processing: InputPath, Parameters, ResultSelector, ResultPath, OutputPath
:v($j${
  "StartAt": "Lambda Invoke",
  "States": {
    "Lambda Invoke": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "InputPath": "$.lambda",
      "Parameters": {
        "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:HelloWorld",
        "Payload": {"comment": "Hello", "execution.$": "$$.Execution.Id", "who.$": "$.who"}
      },
      "ResultSelector": {"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"},
      "ResultPath": "$.taskresult",
      "OutputPath": "$.taskresult",
      "End": true
    }}}$j$);

-- intrinsic functions in Parameters
:v($${
  "StartAt": "Intrinsics",
  "States": {
    "Intrinsics": {
      "Type": "Pass",
      "Parameters": {
        "greeting.$": "States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)",
        "list.$": "States.Array('Foo', 2020, $.someJson, null)",
        "parsed.$": "States.StringToJson($.escapedJsonString)",
        "json.$": "States.JsonToString($.unescapedJson)",
        "partitioned.$": "States.ArrayPartition($.inputArray, 4)",
        "contains.$": "States.ArrayContains($.inputArray, $.lookingFor)",
        "range.$": "States.ArrayRange(1, 9, 2)",
        "item.$": "States.ArrayGetItem($.inputArray, $.index)",
        "length.$": "States.ArrayLength($.inputArray)",
        "unique.$": "States.ArrayUnique($.inputArray)",
        "encoded.$": "States.Base64Encode($.input)",
        "decoded.$": "States.Base64Decode($.base64)",
        "hash.$": "States.Hash($.Data, $.Algorithm)",
        "merged.$": "States.JsonMerge($.json1, $.json2, false)",
        "random.$": "States.MathRandom($.start, $.end)",
        "sum.$": "States.MathAdd($.value1, $.step)",
        "parts.$": "States.StringSplit($.inputString, $.splitter)",
        "uuid.$": "States.UUID()"
      },
      "End": true
    }}}$$);
