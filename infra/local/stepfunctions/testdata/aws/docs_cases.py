# Writes docs_intrinsic_functions.json and docs_input_output.json: the examples of AWS's
# Step Functions Developer Guide as corpus cases. Usage: python3 docs_cases.py OUT_DIR
import json, sys
OUT = sys.argv[1]
ID = "arn:aws:lambda:us-east-1:000000000000:function:identity"
HELLO = "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction"

def write(name, source, note, cases):
    with open(f"{OUT}/{name}.json", "w") as f:
        f.write("{\n")
        f.write(' "source": ' + json.dumps(source, indent=1, ensure_ascii=False).replace("\n", "\n ") + ",\n")
        f.write(' "note": ' + json.dumps(note, ensure_ascii=False) + ",\n")
        f.write(' "cases": [\n' + ",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases) + "\n ]\n}\n")

def params(p):
    return {"StartAt": "S", "States": {"S": {"Type": "Pass", "Parameters": p, "End": True}}}

# Intrinsic functions page.
ic = []
def icase(name, inp, p, out):
    ic.append({"name": name, "definition": params(p), "input": inp, "output": out})
arr = [1, 2, 3, 4, 5, 6, 7, 8, 9]
icase("States.Array", {"Id": 123456}, {"BuildId.$": "States.Array($.Id)"}, {"BuildId": [123456]})
icase("States.ArrayPartition", {"inputArray": arr}, {"inputArray.$": "States.ArrayPartition($.inputArray,4)"}, {"inputArray": [[1, 2, 3, 4], [5, 6, 7, 8], [9]]})
icase("States.ArrayContains", {"inputArray": arr, "lookingFor": 5}, {"contains.$": "States.ArrayContains($.inputArray, $.lookingFor)"}, {"contains": True})
icase("States.ArrayRange", {}, {"array.$": "States.ArrayRange(1, 9, 2)"}, {"array": [1, 3, 5, 7, 9]})
icase("States.ArrayGetItem", {"inputArray": arr, "index": 5}, {"item.$": "States.ArrayGetItem($.inputArray, $.index)"}, {"item": 6})
icase("States.ArrayLength", {"inputArray": arr}, {"length.$": "States.ArrayLength($.inputArray)"}, {"length": 9})
icase("States.ArrayUnique", {"inputArray": [1, 2, 3, 3, 3, 3, 3, 3, 4]}, {"array.$": "States.ArrayUnique($.inputArray)"}, {"array": [1, 2, 3, 4]})
icase("States.Base64Encode", {"input": "Data to encode"}, {"base64.$": "States.Base64Encode($.input)"}, {"base64": "RGF0YSB0byBlbmNvZGU="})
icase("States.Base64Decode", {"base64": "RGF0YSB0byBlbmNvZGU="}, {"data.$": "States.Base64Decode($.base64)"}, {"data": "Decoded data"})
icase("States.Hash", {"Data": "input data", "Algorithm": "SHA-1"}, {"output.$": "States.Hash($.Data, $.Algorithm)"}, {"output": "aaff4a450a104cd177d28d18d7485e8cae074b7"})
icase("States.JsonMerge", {"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}},
      {"output.$": "States.JsonMerge($.json1, $.json2, false)"}, {"output": {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}})
icase("States.StringToJson", {"escapedJsonString": "{\"foo\": \"bar\"}"}, {"result.$": "States.StringToJson($.escapedJsonString)"}, {"result": {"foo": "bar"}})
icase("States.JsonToString", {"unescapedJson": {"foo": "bar"}}, {"result.$": "States.JsonToString($.unescapedJson)"}, {"result": "{\"foo\": \"bar\"}"})
icase("States.MathAdd", {"value1": 111, "step": -1}, {"value1.$": "States.MathAdd($.value1, $.step)"}, {"value1": 110})
icase("States.StringSplit single delimiter", {"inputString": "1,2,3,4,5", "splitter": ","}, {"array.$": "States.StringSplit($.inputString, $.splitter)"}, {"array": ["1", "2", "3", "4", "5"]})
icase("States.StringSplit several delimiters", {"inputString": "This.is+a,test=string", "splitter": ".+,="}, {"myStringArray.$": "States.StringSplit($.inputString, $.splitter)"}, {"myStringArray": ["This", "is", "a", "test", "string"]})
icase("States.Format literal template", {"name": "Arnav", "template": "Hello, my name is {}."}, {"result.$": "States.Format('Hello, my name is {}.', $.name)"}, {"result": "Hello, my name is Arnav."})
icase("States.Format template from the input", {"name": "Arnav", "template": "Hello, my name is {}."}, {"result.$": "States.Format($.template, $.name)"}, {"result": "Hello, my name is Arnav."})
write("docs_intrinsic_functions", {
    "documentation": "AWS Step Functions Developer Guide, 'Intrinsic functions for JSONPath states in Step Functions'",
    "url": "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html",
}, ("Each example's input, field and result as the page gives them, the field in a Pass state's Parameters "
    "(the page names Pass, Task, Parallel and Map Parameters as where intrinsics work); where the page shows a bare "
    "call, its result is put under the key 'result'. States.MathRandom and States.UUID are random and left out."), ic)

# The developer guide's input and output processing pages (the guide's
# GitHub source, github.com/awsdocs/aws-step-functions-developer-guide at
# 3d6752c179885aa864a2a49eb47a8131b5004aa0, doc_source/<page>.md).
io = []
def iocase(name, page, definition, inp, out=None, note=None, **kw):
    c = {"name": name, "template": "doc_source/" + page + ".md", "definition": definition, "input": inp}
    if out is not None or "output_null" in kw:
        c["output"] = out
    if note:
        c["note"] = note
    io.append(c)
ds = {"comment": "Example for InputPath.", "dataset1": {"val1": 1, "val2": 2, "val3": 3}, "dataset2": {"val1": "a", "val2": "b", "val3": "c"}}
iocase("InputPath", "input-output-inputpath-params",
       {"StartAt": "S", "States": {"S": {"Type": "Pass", "InputPath": "$.dataset2", "End": True}}}, ds, {"val1": "a", "val2": "b", "val3": "c"})
iocase("InputPath slice", "input-output-inputpath-params",
       {"StartAt": "S", "States": {"S": {"Type": "Pass", "InputPath": "$.a[0:2]", "End": True}}}, {"a": [1, 2, 3, 4]}, [1, 2])
prod = {"comment": "Example for Parameters.", "product": {"details": {"color": "blue", "size": "small", "material": "cotton"}, "availability": "in stock", "sku": "2317", "cost": "$23"}}
iocase("Parameters key-value pairs", "input-output-inputpath-params",
       params({"comment": "Selecting what I care about.", "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo"}}),
       prod, {"comment": "Selecting what I care about.", "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}})
emr = {"resourceType": "elasticmapreduce", "resource": "createCluster.sync", "output": {"SdkHttpMetadata": {"HttpHeaders": {"Content-Length": "1112", "Content-Type": "application/x-amz-JSON-1.1", "Date": "Mon, 25 Nov 2019 19:41:29 GMT", "x-amzn-RequestId": "1234-5678-9012"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "1234-5678-9012"}, "ClusterId": "AKIAIOSFODNN7EXAMPLE"}}
iocase("ResultSelector", "input-output-inputpath-params",
       {"StartAt": "Create Cluster", "States": {"Create Cluster": {"Type": "Task", "Resource": ID, "Parameters": emr,
        "ResultSelector": {"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"}, "ResultPath": "$.EMROutput", "End": True}}},
       {"OtherDataFromInput": {}}, {"OtherDataFromInput": {}, "EMROutput": {"ResourceType": "elasticmapreduce", "ClusterId": "AKIAIOSFODNN7EXAMPLE"}},
       note="The page's task is elasticmapreduce:createCluster.sync with the result it shows; here the identity function returns that result, passed as Parameters.")
hello_in = {"comment": "This is a test of the input and output of a Task state.", "details": "Default example", "who": "AWS Step Functions"}
def hello(rp=None, extra=None):
    st = {"Type": "Task", "Resource": HELLO, "End": True}
    if rp != "omit":
        st["ResultPath"] = rp
    return {"StartAt": "HelloWorld", "States": {"HelloWorld": st}}
iocase("ResultPath default replaces the input", "input-output-resultpath", hello("omit"), hello_in, "Hello, AWS Step Functions!")
iocase("ResultPath null keeps the input", "input-output-resultpath", hello(None), hello_in, hello_in,
       note="The page describes it without data: the state's input is copied to the output; this case uses the page's input of the other examples.")
iocase("ResultPath includes the result with the input", "input-output-resultpath", hello("$.taskresult"), hello_in,
       dict(hello_in, taskresult="Hello, AWS Step Functions!"),
       note="The page's output prints comment 'This is a test of input and output of a Task state.' and details 'Default behavior example' for the input's 'This is a test of the input and output of a Task state.' and 'Default example' (a slip of the page: ResultPath adds taskresult and changes nothing else); the expected output keeps the input's values.")
strings_in = {"comment": "An input comment.", "strings": {"string1": "foo", "string2": "bar", "string3": "baz"}, "who": "AWS Step Functions"}
iocase("ResultPath into a child node", "input-output-resultpath", hello("$.strings.lambdaresult"), strings_in,
       {"comment": "An input comment.", "strings": {"string1": "foo", "string2": "bar", "string3": "baz", "lambdaresult": "Hello, AWS Step Functions!"}, "who": "AWS Step Functions"})
iocase("ResultPath updates a node", "input-output-resultpath", hello("$.comment"), hello_in,
       dict(hello_in, comment="Hello, AWS Step Functions!"),
       note="The page's output prints details 'Default behavior example' for the input's 'Default example' (the same slip as above); the expected output keeps the input's value.")
iocase("Catch ResultPath includes the error with the input", "input-output-resultpath",
       {"StartAt": "Task", "States": {"Task": {"Type": "Parallel", "Branches": [{"StartAt": "Raise", "States": {"Raise": {"Type": "Fail", "Error": "Error here"}}}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "NextTask", "ResultPath": "$.error"}], "Next": "NextTask"}, "NextTask": {"Type": "Pass", "End": True}}},
       {"foo": "bar"}, {"foo": "bar", "error": {"Error": "Error here"}},
       note="The page shows the Catch and the output for an error named 'Error here' without a cause; a Parallel state whose branch fails with exactly that error raises it here.")
iocase("InputPath, ResultPath and OutputPath", "input-output-example",
       {"Comment": "A Hello World example of the Amazon States Language using an AWS Lambda function", "StartAt": "HelloWorld", "States": {"HelloWorld": {
        "Type": "Task", "Resource": HELLO, "InputPath": "$.lambda", "ResultPath": "$.data.lambdaresult", "OutputPath": "$.data", "End": True}}},
       {"comment": "An input comment.", "data": {"val1": 23, "val2": 17}, "extra": "foo", "lambda": {"who": "AWS Step Functions"}},
       {"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"})
paths_in = {"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": True}, "jar": [{"a": 1}, {"a": 5}, {"a": 2}, {"a": 7}, {"a": 3}]}
for p, v in [("$.foo", 123), ("$.bar", ["a", "b", "c"]), ("$.car.cdr", True), ("$.jar[?(@.a >= 5)]", [{"a": 5}, {"a": 7}])]:
    iocase("Path " + p, "amazon-states-language-paths", params({"value.$": p}), paths_in, {"value": v},
           note="The page lists what each path returns for its input; here each is a Parameters field.")
pirates = {"ThingsPiratesSay": [{"say": "Avast!"}, {"say": "Yar!"}, {"say": "Walk the Plank!"}], "ThingsGiantsSay": [{"say": "Fee!"}, {"say": "Fi!"}, {"say": "Fo!"}, {"say": "Fum!"}]}
iocase("ItemsPath", "input-output-itemspath",
       {"StartAt": "PiratesSay", "States": {"PiratesSay": {"Type": "Map", "ItemsPath": "$.ThingsPiratesSay", "Iterator": {"StartAt": "SayWord", "States": {"SayWord": {"Type": "Pass", "End": True}}}, "End": True}}},
       pirates, [{"say": "Avast!"}, {"say": "Yar!"}, {"say": "Walk the Plank!"}],
       note="The page gives the definition and input; the output is what it and the Map page state: an array of each iteration's output, here a Pass state's input, one item each.")
ship = {"ship-date": "2016-03-14T01:59:00Z", "detail": {"delivery-partner": "UQS", "shipped": [
    {"prod": "R31", "dest-code": 9511, "quantity": 1344}, {"prod": "S39", "dest-code": 9511, "quantity": 40}, {"prod": "R31", "dest-code": 9833, "quantity": 12},
    {"prod": "R40", "dest-code": 9860, "quantity": 887}, {"prod": "R40", "dest-code": 9511, "quantity": 1220}]}}
iocase("Map with Parameters", "amazon-states-language-map-state",
       {"StartAt": "Validate-All", "States": {"Validate-All": {"Type": "Map", "InputPath": "$.detail", "ItemsPath": "$.shipped", "MaxConcurrency": 0, "ResultPath": "$.detail.shipped",
        "Parameters": {"parcel.$": "$$.Map.Item.Value", "courier.$": "$.delivery-partner"},
        "Iterator": {"StartAt": "Validate", "States": {"Validate": {"Type": "Task", "Resource": ID, "End": True}}}, "End": True}}},
       ship, {"ship-date": "2016-03-14T01:59:00Z", "detail": {"delivery-partner": "UQS", "shipped": [{"parcel": s, "courier": "UQS"} for s in ship["detail"]["shipped"]]}},
       note="The page gives the definition, the input and each iteration's input ({parcel, courier}); its ship-val function is the identity function here, so the output is the input with detail.shipped replaced by the iterations' inputs, as the page says ResultPath does.")
write("docs_input_output", {
    "documentation": "AWS Step Functions Developer Guide: 'InputPath, Parameters and ResultSelector', 'ResultPath', 'InputPath, ResultPath and OutputPath Examples', 'Paths', 'ItemsPath', 'Map' (each case names its page)",
    "repository": "github.com/awsdocs/aws-step-functions-developer-guide",
    "commit": "3d6752c179885aa864a2a49eb47a8131b5004aa0",
    "url": "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html",
}, ("The pages' definitions (or the fields they show, in a state of the kind they name), inputs and outputs. "
    "The HelloFunction of the pages' tutorial answers \"Hello, <who>!\" (the corpus runner registers it); "
    "a case's note says where the page leaves something to be derived or prints a slip."), io)
