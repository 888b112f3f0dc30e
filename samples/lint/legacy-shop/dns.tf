# Failover routing with nothing to tell Route 53 that the primary is down.
resource "aws_route53_record" "api_primary" {
  zone_id        = "Z0123456789ABCDEFGHIJ"
  name           = "api.shop.example.com"
  type           = "CNAME"
  ttl            = 60
  records        = ["primary-lb.shop.example.com"]
  set_identifier = "primary"

  failover_routing_policy {
    type = "PRIMARY"
  }
}

resource "aws_route53_record" "api_secondary" {
  zone_id        = "Z0123456789ABCDEFGHIJ"
  name           = "api.shop.example.com"
  type           = "CNAME"
  ttl            = 60
  records        = ["dr-lb.shop.example.com"]
  set_identifier = "secondary"

  failover_routing_policy {
    type = "SECONDARY"
  }
}
