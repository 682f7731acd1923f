# Offline tests of the project-wide policy: the provider is mocked and the
# check's data source is given the project's shared images, so no
# credentials or network are needed. Run with `terraform test` in
# examples/policy/project-wide.
# mock_provider and override_data need Terraform 1.7 or OpenTofu 1.8 or
# later, the provider function in main.tf Terraform 1.8 or OpenTofu 1.7 (CI
# runs Terraform 1.11.4 and 1.15.0, and OpenTofu 1.12.6).

# OpenTofu wants every attribute of an image in override values, region and
# project_id included; Terraform fills the ones left out with null.

mock_provider "ims" {}

variables {
  organization_id    = "o-wvntq58r3poyv180t5df1mdna4uwy9se"
  allowed_domain_ids = ["3a2d95404f964a6aba78819bf8ddc1e3"]
}

run "shared_inside_the_organization" {
  command = plan

  override_data {
    target = data.ims_shared_images.all
    values = {
      images = [
        {
          id         = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          name       = "web-golden"
          region     = "cn-north-4"
          project_id = "1bed856811654c1cb661a6ca845ebc77"
          members = [
            {
              member_id   = "1bed856811654c1cb661a6ca845ebc77"
              member_type = "project"
              status      = "accepted"
              urn         = null
              image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
              schema      = "/v2/schemas/member"
              created_at  = "2024-03-01T08:00:00Z"
              updated_at  = "2024-03-01T08:05:00Z"
            },
            {
              member_id   = "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
              member_type = "organization"
              status      = "accepted"
              urn         = "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
              image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
              schema      = "/v2/schemas/member"
              created_at  = "2023-08-23T04:07:52Z"
              updated_at  = "2023-08-23T04:07:52Z"
            },
          ]
        },
        {
          id         = "9a6e4c1d-7b3f-4e2a-8c5d-1f0e2d3c4b5a"
          name       = "batch-worker"
          region     = "cn-north-4"
          project_id = "1bed856811654c1cb661a6ca845ebc77"
          members = [
            {
              member_id   = "3a2d95404f964a6aba78819bf8ddc1e3"
              member_type = "domain"
              status      = "pending"
              urn         = null
              image_id    = "9a6e4c1d-7b3f-4e2a-8c5d-1f0e2d3c4b5a"
              schema      = "/v2/schemas/member"
              created_at  = "2024-03-02T08:00:00Z"
              updated_at  = "2024-03-02T08:00:00Z"
            },
          ]
        },
      ]
    }
  }
}

run "shared_with_another_organization_and_an_unknown_domain" {
  command = plan

  override_data {
    target = data.ims_shared_images.all
    values = {
      images = [
        {
          id         = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          name       = "web-golden"
          region     = "cn-north-4"
          project_id = "1bed856811654c1cb661a6ca845ebc77"
          members = [
            {
              member_id   = "ou-0000outsider00000000000000000000"
              member_type = "organization"
              status      = "accepted"
              urn         = "organizations::9f8e7d6c5b4a49382716a5b4c3d2e1f0:ou:o-outsider/ou-0000outsider00000000000000000000"
              image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
              schema      = "/v2/schemas/member"
              created_at  = "2024-04-11T09:30:00Z"
              updated_at  = "2024-04-11T09:30:00Z"
            },
          ]
        },
        {
          id         = "9a6e4c1d-7b3f-4e2a-8c5d-1f0e2d3c4b5a"
          name       = null
          region     = "cn-north-4"
          project_id = "1bed856811654c1cb661a6ca845ebc77"
          members = [
            {
              member_id   = "9f8e7d6c5b4a49382716a5b4c3d2e1f0"
              member_type = "domain"
              status      = "pending"
              urn         = null
              image_id    = "9a6e4c1d-7b3f-4e2a-8c5d-1f0e2d3c4b5a"
              schema      = "/v2/schemas/member"
              created_at  = "2024-04-10T09:30:00Z"
              updated_at  = "2024-04-10T09:30:00Z"
            },
          ]
        },
      ]
    }
  }

  # The check fails: that is what this case is about.
  expect_failures = [
    check.images_stay_in_our_organization,
  ]
}
