#!/usr/bin/env python3
"""Extract AWS-recorded Step Functions cases from LocalStack's snapshot files
into small testdata files: definition, input, expected output or error/cause."""
import ast, datetime, json, os, re, subprocess, sys

# Usage: python3 extract.py OUT_DIR LOCALSTACK_GIT_DIR
# LOCALSTACK_GIT_DIR is a clone of github.com/localstack/localstack (a bare
# one will do: files are read with git show at its HEAD).
OUT = sys.argv[1]  # the directory to write to: infra/local/stepfunctions/testdata/aws
REPO = sys.argv[2]
COMMIT = subprocess.check_output(["git", "-C", REPO, "rev-parse", "HEAD"]).decode().strip()

def show(path):
    return subprocess.check_output(["git", "-C", REPO, "show", f"{COMMIT}:{path}"]).decode()

def json5(text):
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            q = c; j = i + 1; buf = ['"']
            while text[j] != q:
                if text[j] == '\\':
                    buf.append(text[j:j+2]); j += 2; continue
                if q == "'" and text[j] == '"':
                    buf.append('\\"')
                else:
                    buf.append(text[j])
                j += 1
            buf.append('"'); out.append(''.join(buf)); i = j + 1; continue
        if text.startswith("//", i):
            while i < n and text[i] != "\n": i += 1
            continue
        if text.startswith("/*", i):
            i = text.index("*/", i) + 2; continue
        out.append(c); i += 1
    s = ''.join(out)
    s = re.sub(r",(\s*[}\]])", r"\1", s)
    return json.loads(s)

def template_consts(pyfile):
    tree = ast.parse(show(pyfile))
    consts = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.AnnAssign, ast.Assign)):
            tgt = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            v = node.value
            if isinstance(tgt, ast.Name) and isinstance(v, ast.Call) and getattr(v.func, "attr", "") == "join":
                args = v.args
                if len(args) == 2 and isinstance(args[1], ast.Constant):
                    consts[tgt.id] = os.path.join(os.path.dirname(pyfile), args[1].value)
    return consts

def histories(content):
    for k in sorted(content, key=lambda k: (len(k), k)):
        v = content[k]
        if isinstance(v, dict) and "events" in v:
            yield k, v["events"]

def jsontext(v):
    # The snapshots keep an input or output that is not a JSON object as its
    # JSON text, a string; an object is kept as the object.
    if isinstance(v, str):
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v

def result_of(events):
    start = events[0]
    assert start["type"] == "ExecutionStarted", start["type"]
    inp = jsontext(start["executionStartedEventDetails"].get("input"))
    last = events[-1]
    if last["type"] == "ExecutionSucceeded":
        return {"input": inp, "output": jsontext(last["executionSucceededEventDetails"].get("output"))}
    if last["type"] == "ExecutionFailed":
        d = last.get("executionFailedEventDetails", {})
        c = {"input": inp, "error": d.get("error", "")}
        if "cause" in d: c["cause"] = d["cause"]
        return c
    return None

def suspicious(case):
    s = json.dumps(case)
    # LocalStack's transformers replace run-specific values (ARNs, ids,
    # timestamps) in the recorded content: such a case is not AWS's answer.
    return bool(re.search(r"<[A-Za-z0-9_\-:]+>|snf_role_arn|sm_create_arn|sm_exec_arn|\"date\"|\"timestamp\"", s))

def write(name, source, definition, cases, note=None, replace=None):
    if not cases: return 0
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        f.write("{\n")
        f.write(' "source": ' + json.dumps(source, indent=1, ensure_ascii=False).replace("\n", "\n ") + ",\n")
        if note: f.write(' "note": ' + json.dumps(note, ensure_ascii=False) + ",\n")
        if replace: f.write(' "replace": ' + json.dumps(replace, ensure_ascii=False) + ",\n")
        if definition is not None:
            f.write(' "definition": ' + json.dumps(definition, ensure_ascii=False) + ",\n")
        f.write(' "cases": [\n')
        f.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n ]\n}\n")
    return len(cases)

total = 0
skipped = []

# Intrinsic functions: each test runs one template on several inputs.
IF_DIR = "tests/aws/services/stepfunctions/v2/intrinsic_functions"
ift = template_consts("tests/aws/services/stepfunctions/templates/intrinsicfunctions/intrinsic_functions_templates.py")
for fname in ["test_array", "test_encode_decode", "test_generic", "test_hash_calculations",
              "test_json_manipulation", "test_math_operations", "test_string_operations"]:
    py = show(f"{IF_DIR}/{fname}.py")
    snap = json.loads(show(f"{IF_DIR}/{fname}.snapshot.json"))
    tree = ast.parse(py)
    funcs = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            attrs = [a.attr for a in ast.walk(node) if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == "IFT" and a.attr.isupper() and a.attr in ift]
            calls = [c for c in ast.walk(node) if isinstance(c, ast.Call) and getattr(c.func, "id", "") == "create_and_test_on_inputs"]
            funcs[node.name] = (attrs, bool(calls))
    for key, rec in snap.items():
        test = key.split("::")[-1]
        attrs, std = funcs.get(test, ([], False))
        if not std or len(attrs) != 1:
            skipped.append((key, "not the standard one-template runner")); continue
        tpath = ift[attrs[0]]
        definition = json5(show(tpath))
        cases = []
        for hk, ev in histories(rec["recorded-content"]):
            c = result_of(ev)
            if c is None or suspicious(c):
                skipped.append((key + " " + hk, "placeholder or not terminated")); continue
            c = {"name": hk, **c}
            cases.append(c)
        src = {"repository": "github.com/localstack/localstack", "commit": COMMIT,
               "snapshot": f"{IF_DIR}/{fname}.snapshot.json", "test": key.split("::", 1)[1],
               "recorded": rec["recorded-date"], "definition": tpath}
        total += write(f"intrinsic_{test[5:]}", src, definition, cases)

# Choice operators: one template, the operator and (for the literal forms) the value substituted.
CO_DIR = "tests/aws/services/stepfunctions/v2/choice_operators"
tmpl_path = "tests/aws/services/stepfunctions/templates/choiceoperators/statemachines/template.json5"
tmpl_text = json.dumps(json5(show(tmpl_path)))
for fname in ["test_boolean_equals", "test_is_operators", "test_numeric", "test_string_operators", "test_timestamp_operators"]:
    py = show(f"{CO_DIR}/{fname}.py")
    snap = json.loads(show(f"{CO_DIR}/{fname}.snapshot.json"))
    tree = ast.parse(py)
    info = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            for c in ast.walk(node):
                if isinstance(c, ast.Call) and getattr(c.func, "id", "") == "create_and_test_comparison_function":
                    op = [a.value for a in c.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                    lit = True
                    for kw in c.keywords:
                        if kw.arg == "comparison_func_name" and isinstance(kw.value, ast.Constant): op = [kw.value.value]
                        if kw.arg == "add_literal_value" and isinstance(kw.value, ast.Constant): lit = kw.value.value
                    info[node.name] = (op[0] if op else None, lit)
    for key, rec in snap.items():
        test = key.split("::")[-1]
        op, lit = info.get(test, (None, True))
        if op is None:
            skipped.append((key, "no operator found")); continue
        defs = {}
        cases = []
        for i, c in enumerate(rec["recorded-content"]["cases"]):
            inp = c["input"]
            if isinstance(inp, str): inp = json.loads(inp)
            out = c["output"]
            if isinstance(out, list): out = out[0]
            if isinstance(out, str): out = json.loads(out)
            case = {"name": f"cases[{i}]", "input": inp, "output": out}
            if suspicious(case):
                skipped.append((key + f" cases[{i}]", "placeholder")); continue
            cases.append(case)
        src = {"repository": "github.com/localstack/localstack", "commit": COMMIT,
               "snapshot": f"{CO_DIR}/{fname}.snapshot.json", "test": key.split("::", 1)[1],
               "recorded": rec["recorded-date"], "definition": tmpl_path + f" with %ComparisonOperatorType% = {op}"}
        definition = json.loads(tmpl_text.replace("%ComparisonOperatorType%", op))
        rep = {"text": '"$.Value"', "with": "Value"} if lit else None
        total += write(f"choice_{test[5:]}", src, definition, cases, replace=rep)

# Base states and waits: one template per test, some changed by the test as
# its code does (the transform), the input and result from the snapshot.
BASE_DIR = "tests/aws/services/stepfunctions/v2/base"
bt = template_consts("tests/aws/services/stepfunctions/templates/base/base_templates.py")

def set_path(d, keys, value):
    for k in keys[:-1]:
        d = d[k]
    d[keys[-1]] = value

# A fixed instant stands for the run's time, which LocalStack's transformer
# replaced with <timestamp> (the engine's clock is later, so it is past).
INSTANT = "2025-03-14T08:00:00"

BASE = [
    # (file, test, template, transform(definition, param), note)
    ("test_base", "test_state_fail", "BASE_RAISE_FAILURE", None),
    ("test_base", "test_state_fail_path", "BASE_RAISE_FAILURE_PATH", None),
    ("test_base", "test_state_fail_intrinsic", "BASE_RAISE_FAILURE_INTRINSIC", None),
    ("test_base", "test_state_fail_empty", "RAISE_EMPTY_FAILURE", None),
    ("test_base", "test_state_pass_result", "BASE_PASS_RESULT", None),
    ("test_base", "test_state_pass_result_jsonpaths", "BASE_PASS_RESULT",
     lambda d, p: set_path(d, ["States", "State_1", "Result"], {"unsupported1.$": "$.jsonpath", "unsupported2.$": "$$"})),
    ("test_base", "test_decl_version_1_0", "DECL_VERSION_1_0", None),
    ("test_base", "test_state_pass_result_null_input_output_paths", "PASS_RESULT_NULL_INPUT_OUTPUT_PATHS", None),
    ("test_base", "test_state_pass_regex_json_path_base", "PASS_RESULT_REGEX_JSON_PATH_BASE", None),
    ("test_base", "test_json_path_array_access", "JSON_PATH_ARRAY_ACCESS",
     lambda d, p: set_path(d, ["States", "EntryState", "Parameters", "item.$"], p)),
    ("test_base", "test_json_path_array_wildcard_or_slice_with_no_input", "JSON_PATH_ARRAY_ACCESS",
     lambda d, p: set_path(d, ["States", "EntryState", "Parameters", "item.$"], p)),
    ("test_wait", "test_base_wait_seconds_path", "WAIT_SECONDS_PATH", None),
    ("test_wait", "test_wait_timestamppath", "WAIT_TIMESTAMP_PATH", None),
    ("test_wait", "test_timestamp_too_far_in_future_boundary", "WAIT_TIMESTAMP_PATH", None),
]
# The engine's test clock starts at this instant (awscorpus_test.go's epoch).
EPOCH = datetime.datetime(2025, 3, 14, 9, 0, 0, tzinfo=datetime.timezone.utc)
for fname, test, const, transform in BASE:
    snap = json.loads(show(f"{BASE_DIR}/{fname}.snapshot.json"))
    py = show(f"{BASE_DIR}/{fname}.py")
    cases, per_case_defs = [], False
    for key, rec in snap.items():
        tid = key.split("::")[-1]
        name, _, param = tid.partition("[")
        if name != test:
            continue
        param = param[:-1] if param else None
        tpath = bt[const]
        definition = json5(show(tpath))
        if transform:
            transform(definition, param)
            per_case_defs = param is not None
        for hk, ev in histories(rec["recorded-content"]):
            c = result_of(ev)
            if c is None:
                skipped.append((key, "not terminated")); continue
            if test == "test_wait_timestamppath":
                ts = INSTANT + (param or "")
                c = json.loads(json.dumps(c).replace("<timestamp>", ts))
            if test == "test_timestamp_too_far_in_future_boundary":
                ts = (EPOCH + datetime.timedelta(days=int(param))).strftime("%Y-%m-%dT%H:%M:%S") + ".000Z"
                c = json.loads(json.dumps(c).replace("<timestamp>", ts))
            if suspicious(c):
                skipped.append((key + " " + hk, "placeholder")); continue
            c = {"name": tid, **c}
            if per_case_defs:
                c["definition"] = definition
            cases.append(c)
    if not cases:
        continue
    src = {"repository": "github.com/localstack/localstack", "commit": COMMIT,
           "snapshot": f"{BASE_DIR}/{fname}.snapshot.json", "test": f"{fname}.py::{test}",
           "recorded": sorted({snap[k]["recorded-date"] for k in snap if k.split("::")[-1].partition("[")[0] == test})[0],
           "definition": bt[const] + (" as the test changes it (see each case's definition)" if per_case_defs else "")}
    note = None
    if test == "test_wait_timestamppath":
        note = ("The test waits until the time of its run, which LocalStack's transformer replaced with <timestamp> "
                "in the recording (input and cause); " + INSTANT + " (a past instant) stands for it here, with the "
                "suffix each case's name gives.")
    if test == "test_timestamp_too_far_in_future_boundary":
        note = ("The test waits until its run's time plus the days its name gives, which LocalStack's transformer "
                "replaced with <timestamp>; here the days count from the engine test's clock (2025-03-14T09:00:00Z). "
                "The 24855-day case was still waiting when recorded and is not a case here.")
    if test == "test_state_pass_result_jsonpaths":
        src["definition"] = bt[const] + " with State_1's Result replaced as the test does"
    total += write(f"base_{test[5:]}", src, None if per_case_defs else definition, cases, note=note)

# The logging tests record a Wait whose SecondsPath selects nothing.
LOG_DIR = "tests/aws/services/stepfunctions/v2/logs"
snap = json.loads(show(f"{LOG_DIR}/test_logs.snapshot.json"))
key = next(k for k in snap if k.endswith("::test_base[wait_seconds_path.json5_ALL_False]"))
c = result_of(snap[key]["recorded-content"]["get_execution_history"]["events"])
src = {"repository": "github.com/localstack/localstack", "commit": COMMIT,
       "snapshot": f"{LOG_DIR}/test_logs.snapshot.json", "test": key.split("::", 1)[1],
       "recorded": snap[key]["recorded-date"], "definition": bt["WAIT_SECONDS_PATH"]}
total += write("logs_wait_seconds_path_missing", src, json5(show(bt["WAIT_SECONDS_PATH"])), [{"name": "test_base[wait_seconds_path.json5_ALL_False]", **c}])

# Scenarios: tests that run one template as it is (no Lambda, S3, SQS or
# change to the template), without what the engine does not run (JSONata,
# distributed Map and its readers and writers, variables).
SC_DIR = "tests/aws/services/stepfunctions/v2/scenarios"
st = template_consts("tests/aws/services/stepfunctions/templates/scenarios/scenarios_templates.py")
py = show(f"{SC_DIR}/test_base_scenarios.py")
tree = ast.parse(py)
plain = {}
for node in ast.walk(tree):
    if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
        body = ast.get_source_segment(py, node)
        low = body.lower()
        if "template[" in body or "definition[" in body or "lambda" in low or "s3" in low or "sqs" in low or "replace(" in body:
            continue
        consts = {a.attr for a in ast.walk(node) if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == "ST" and a.attr in st}
        plain[node.name] = consts
UNSUPPORTED = ("JSONata", "DISTRIBUTED", "ItemReader", "ResultWriter", "ItemBatcher", "Tolerated", "Assign", "\"Label\"", "\"Arguments\"", "\"Output\"")
snap = json.loads(show(f"{SC_DIR}/test_base_scenarios.snapshot.json"))
notes = {}
for key, rec in snap.items():
    tid = key.split("::")[-1]
    name, _, param = tid.partition("[")
    param = param[:-1] if param else ""
    if name not in plain:
        continue
    consts = plain[name]
    if param in st:
        const = param
    elif len(consts) == 1:
        const = next(iter(consts))
    else:
        skipped.append((key, "template not known")); continue
    definition = json5(show(st[const]))
    text = json.dumps(definition)
    if any(u in text for u in UNSUPPORTED):
        skipped.append((key, "uses what the engine does not run")); continue
    cases = []
    for hk, ev in histories(rec["recorded-content"]):
        c = result_of(ev)
        if c is not None and name == "test_wait_timestamp_path" and c["input"] == {"TimestampValue": "timestamp"} and " == " in c.get("cause", ""):
            # The transformer replaced the input's timestamp, not the cause's.
            c["input"] = {"TimestampValue": c["cause"].rsplit(" == ", 1)[1]}
            notes[tid] = "The recording's input shows 'timestamp' (LocalStack's transformer); the value is the one the cause quotes."
        if c is None or suspicious(c):
            skipped.append((key + " " + hk, "placeholder or not terminated")); continue
        cases.append({"name": tid, **c})
    if not cases:
        continue
    src = {"repository": "github.com/localstack/localstack", "commit": COMMIT,
           "snapshot": f"{SC_DIR}/test_base_scenarios.snapshot.json", "test": key.split("::", 1)[1],
           "recorded": rec["recorded-date"], "definition": st[const]}
    fname = "scenario_" + re.sub(r"[^A-Za-z0-9_]+", "_", tid[5:]).strip("_").lower()
    total += write(fname, src, definition, cases, note=notes.get(tid))

print("cases:", total, file=sys.stderr)
for s in skipped: print("skipped:", *s, file=sys.stderr)
