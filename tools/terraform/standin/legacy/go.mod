// Stand-in for Terraform's internal/legacy module, which only a test of
// Terraform's imports: no package is needed to build the CLI.
module github.com/hashicorp/terraform/internal/legacy

go 1.26.8
