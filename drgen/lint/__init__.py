"""Lint existing Terraform for DR anti-patterns.

The folders follow the pipeline: ``frontends/`` reads Terraform files into Blocks (HCL through
tree-sitter or python-hcl2, ``.tf.json``, and ``frontends/plan/`` for ``terraform show -json``)
of the types in ``model/``; ``modules/`` reads each module call's folder, fetching remote ones;
``evaluation/`` instantiates each root into module instances with values, regions and
references; ``topology/`` links the roots into DR stacks and builds the analysed Project;
``checks/`` are the Python checks policies name; ``engine/`` runs the policy catalog over the
Project into findings (selection, suppressions, exemptions, baseline); ``cli/`` is what
``drgen lint`` and ``drgen policies`` do with them.
"""
