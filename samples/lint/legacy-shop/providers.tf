# A two-region shop that looks multi-region but is not recoverable.
# `drgen lint samples/lint/legacy-shop` explains every gap.

terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

variable "primary_region" {
  type    = string
  default = "us-east-1"
}

provider "aws" {
  region = var.primary_region

  default_tags {
    tags = {
      team = "shop"
    }
  }
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}
