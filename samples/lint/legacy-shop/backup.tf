resource "aws_backup_vault" "main" {
  name = "legacy-shop"
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "legacy-shop-dr"
}

# Nightly backups that never leave us-east-1.
resource "aws_backup_plan" "nightly" {
  name = "legacy-shop-nightly"

  rule {
    rule_name         = "nightly"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 3 * * ? *)"

    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "orders" {
  name         = "orders"
  plan_id      = aws_backup_plan.nightly.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_db_instance.orders.arn]
}
