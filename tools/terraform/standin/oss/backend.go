// Package oss stands in for Terraform's oss backend (see tools/terraform/go.mod).
package oss

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/imsstandin"
)

func New() backend.Backend { return imsstandin.New("oss") }
