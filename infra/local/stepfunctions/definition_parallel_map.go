package stepfunctions

// Parallel and Map state fields: branches, items, the item processor.

import "fmt"

func (c *compiler) parallelSpec(s *state, obj map[string]any, loc string) {
	raw, ok := obj["Branches"].([]any)
	if !ok || len(raw) == 0 {
		c.add(loc+"/Branches", s.name, "Branches", "required non-empty array is missing")
		return
	}
	for i, b := range raw {
		bloc := fmt.Sprintf("%s/Branches/%d", loc, i)
		bobj, ok := b.(map[string]any)
		if !ok {
			c.add(bloc, s.name, "Branches", "a branch must be an object with StartAt and States")
			continue
		}
		s.branches = append(s.branches, c.compileMachine(bobj, bloc, false))
	}
}

func (c *compiler) mapSpec(obj map[string]any, loc, st string) *mapSpec {
	m := &mapSpec{}
	if v, ok := obj["ItemsPath"]; ok {
		m.itemsPath, _ = c.path(v, loc+"/ItemsPath", st, "ItemsPath", false, referencePath)
	}
	_, hasSel := obj["ItemSelector"]
	_, hasParams := obj["Parameters"]
	if hasSel && hasParams {
		c.add(loc+"/Parameters", st, "Parameters", "ItemSelector and Parameters are mutually exclusive")
	}
	if hasSel {
		m.itemSelector = c.template(obj["ItemSelector"], loc+"/ItemSelector", st, "ItemSelector")
	}
	if hasParams {
		m.itemSelector = c.template(obj["Parameters"], loc+"/Parameters", st, "Parameters")
	}
	_, hasMC := obj["MaxConcurrency"]
	_, hasMCP := obj["MaxConcurrencyPath"]
	if hasMC && hasMCP {
		c.add(loc+"/MaxConcurrencyPath", st, "MaxConcurrencyPath", "MaxConcurrency and MaxConcurrencyPath are mutually exclusive")
	}
	if hasMC {
		m.maxConcurrency = c.nonNegativeInt(obj["MaxConcurrency"], loc+"/MaxConcurrency", st, "MaxConcurrency", maxSeconds)
	}
	if hasMCP {
		m.maxConcurrencyPath, _ = c.path(obj["MaxConcurrencyPath"], loc+"/MaxConcurrencyPath", st, "MaxConcurrencyPath", false, referencePath)
	}
	m.processor = c.mapProcessor(obj, loc, st)
	return m
}

// mapProcessor compiles ItemProcessor (with its ProcessorConfig) or the
// older Iterator; exactly one is required.
func (c *compiler) mapProcessor(obj map[string]any, loc, st string) *machine {
	it, hasIt := obj["Iterator"]
	proc, hasProc := obj["ItemProcessor"]
	switch {
	case hasIt && hasProc:
		c.add(loc+"/ItemProcessor", st, "ItemProcessor", "Iterator and ItemProcessor are mutually exclusive")
	case hasIt:
		// AWS accepts a ProcessorConfig in the older Iterator too (recorded).
		return c.processor(it, loc+"/Iterator", st, "Iterator")
	case hasProc:
		return c.processor(proc, loc+"/ItemProcessor", st, "ItemProcessor")
	default:
		c.add(loc+"/ItemProcessor", st, "ItemProcessor", "a Map state needs ItemProcessor (or Iterator)")
	}
	return nil
}

// processor compiles an ItemProcessor or Iterator: a machine, and its
// ProcessorConfig.
func (c *compiler) processor(v any, loc, st, field string) *machine {
	pobj, ok := v.(map[string]any)
	if !ok {
		c.add(loc, st, field, "must be an object with StartAt and States")
		return nil
	}
	inner := map[string]any{}
	for k, v := range pobj {
		if k == "ProcessorConfig" {
			c.processorConfig(v, loc+"/ProcessorConfig", st)
			continue
		}
		inner[k] = v
	}
	return c.compileMachine(inner, loc, false)
}

func (c *compiler) processorConfig(v any, loc, st string) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.add(loc, st, "ItemProcessor", "ProcessorConfig must be an object")
		return
	}
	for _, k := range sortedKeys(obj) {
		switch k {
		case "Mode":
			switch obj[k] {
			case "INLINE":
			case "DISTRIBUTED":
				c.add(loc+"/Mode", st, "ItemProcessor", "distributed Map is not supported by the local engine (Mode must be INLINE)")
			default:
				c.add(loc+"/Mode", st, "ItemProcessor", "Mode must be \"INLINE\" or \"DISTRIBUTED\"")
			}
		case "ExecutionType":
			c.add(loc+"/ExecutionType", st, "ItemProcessor", "ExecutionType applies only to distributed Map, which the local engine does not run")
		default:
			c.add(loc+"/"+k, st, "ItemProcessor", "unknown ProcessorConfig field %q", k)
		}
	}
}
