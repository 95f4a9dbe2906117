"""Measure answer quality: a gold set, pure metric functions, a runner with a plain llama-index baseline, reports.

cases = load_gold(Path("eval/gold.jsonl"))
run = evaluate(Settings(), cases, Path("eval/fixtures"), EvalOptions(modes=("hybrid", "dense")))
print(markdown_summary(to_json(run)))
"""
