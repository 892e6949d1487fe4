/*-------------------------------------------------------------------------
 *
 * jsonata_refs.c
 *	  What a compiled JSONata expression reads, for the checks Step
 *	  Functions makes when a definition is created.
 *
 * A walk over the syntax tree keeping whether a node is evaluated against
 * the expression's own context (the top level) or against something the
 * expression selected (later path steps, predicates, sort terms, group-by
 * and transform operands).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "eval/jsonata.h"
#include "eval/jsonata_int.h"

static void visit(const JnNode *n, bool top, SfnJsonataRefs *out);

static void
visit_list(const JnNodeList *l, bool top, SfnJsonataRefs *out)
{
	for (int i = 0; i < l->n; i++)
		visit(l->items[i], top, out);
}

static bool
is_name(const JnNode *n, JnNodeType type, const char *name)
{
	return n != NULL && n->type == type && n->str != NULL &&
		n->slen == (int) strlen(name) && strncmp(n->str, name, n->slen) == 0;
}

static void
visit(const JnNode *n, bool top, SfnJsonataRefs *out)
{
	if (n == NULL)
		return;
	check_stack_depth();
	switch (n->type)
	{
		case NT_NAME:
			if (top && out->top_level_name == NULL)
				out->top_level_name = pnstrdup(n->str, n->slen);
			break;
		case NT_VARIABLE:
			if (n->slen == 1 && n->str[0] == '$')
				out->root = true;
			break;
		case NT_PATH:
			if (n->items.n >= 2 && is_name(n->items.items[0], NT_VARIABLE, "states"))
			{
				const JnNode *second = n->items.items[1];

				out->states_result |= is_name(second, NT_NAME, "result");
				out->states_error_output |= is_name(second, NT_NAME, "errorOutput");
			}
			for (int i = 0; i < n->items.n; i++)
				visit(n->items.items[i], top && i == 0, out);
			break;
		case NT_LAMBDA:
			visit(n->body, top, out);
			break;
		case NT_TRANSFORM:
		case NT_FILTER:
		case NT_INDEX:
			visit(n->expr, false, out);
			visit(n->then, false, out);
			visit(n->els, false, out);
			visit_list(&n->items, false, out);
			break;
		case NT_SORT:
			visit(n->lhs, top, out);
			visit_list(&n->items, false, out);
			break;
		default:
			visit(n->lhs, top, out);
			visit(n->rhs, top, out);
			visit(n->expr, top, out);
			visit(n->then, top, out);
			visit(n->els, top, out);
			visit(n->procedure, top, out);
			visit_list(&n->items, top, out);
			break;
	}
	/* stages, predicates and group-by read what the node selected */
	visit_list(&n->stages, false, out);
	visit_list(&n->predicate, false, out);
	visit(n->group, false, out);
}

void
sfn_jsonata_refs(const SfnJsonata *expr, SfnJsonataRefs *out)
{
	memset(out, 0, sizeof(SfnJsonataRefs));
	visit(jn_expression_ast(expr), true, out);
}
