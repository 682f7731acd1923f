// Package gcs stands in for Terraform's gcs backend (see tools/terraform/go.mod).
package gcs

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/imsstandin"
)

func New() backend.Backend { return imsstandin.New("gcs") }
