"""Front ends: Terraform files on disk -> Blocks per file (HCL, .tf.json), content-cached."""
