# Product images: versioned, but nothing copies them out of us-east-1.
resource "aws_s3_bucket" "images" {
  bucket = "legacy-shop-images"
}

resource "aws_s3_bucket_versioning" "images" {
  bucket = aws_s3_bucket.images.id

  versioning_configuration {
    status = "Enabled"
  }
}

# Carts are written in both regions and nobody owns a record: last writer wins.
resource "aws_dynamodb_table" "carts" {
  name             = "legacy-shop-carts"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "cart_id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "cart_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  replica {
    region_name = "us-west-2"
  }
}

# Orders database: single AZ, and its only copy stays in the region.
resource "aws_db_instance" "orders" {
  identifier                  = "legacy-shop-orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  storage_encrypted           = true
  manage_master_user_password = true
  username                    = "shop"
  backup_retention_period     = 7
  deletion_protection         = true
}
