package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// sharedConfig is the hcloud CLI (KooCLI) file, ~/.hcloud/config.json.
type sharedConfig struct {
	Current  string          `json:"current"`
	Profiles []sharedProfile `json:"profiles"`
}

type sharedProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SecurityToken   string `json:"securityToken"`
	Region          string `json:"region"`
	ProjectID       string `json:"projectId"`
	SSOAuth         struct {
		STSToken struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SecurityToken   string `json:"securityToken"`
		} `json:"stsToken"`
	} `json:"ssoAuth"`
}

// profileValues are the settings a profile contributes.
type profileValues struct {
	file, name                                     string
	region, projectID, accessKey, secretKey, token string
}

// defaultSharedConfigFile is where KooCLI keeps its profiles.
func defaultSharedConfigFile(home func() (string, error)) (string, error) {
	dir, err := home()
	if err != nil {
		return "", fmt.Errorf("finding the home directory for ~/.hcloud/config.json: %w", err)
	}
	return filepath.Join(dir, ".hcloud", "config.json"), nil
}

// expandHome turns a leading ~/ into the home directory.
func expandHome(path string, home func() (string, error)) (string, error) {
	if path != "~" && !strings.HasPrefix(path, "~/") {
		return path, nil
	}
	dir, err := home()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, strings.TrimPrefix(path, "~")), nil
}

// loadProfile reads file and picks profile (the file's current one when
// empty). Errors name the file and the profile.
func loadProfile(file, profile string) (profileValues, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return profileValues{}, fmt.Errorf("cannot read the shared config file %s: %w", file, err)
	}
	var cfg sharedConfig
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return profileValues{}, fmt.Errorf("the shared config file %s is not valid KooCLI JSON: %w", file, err)
	}
	name := profile
	if name == "" {
		name = cfg.Current
	}
	if name == "" {
		return profileValues{}, fmt.Errorf("the shared config file %s names no current profile; set profile or HW_PROFILE", file)
	}
	for _, p := range cfg.Profiles {
		if p.Name != name {
			continue
		}
		v := profileValues{file: file, name: name, region: p.Region, projectID: p.ProjectID,
			accessKey: p.AccessKeyID, secretKey: p.SecretAccessKey, token: p.SecurityToken}
		if strings.EqualFold(p.Mode, "SSO") {
			sts := p.SSOAuth.STSToken
			v.accessKey, v.secretKey, v.token = sts.AccessKeyID, sts.SecretAccessKey, sts.SecurityToken
		}
		if v.accessKey == "" || v.secretKey == "" {
			where := "accessKeyId and secretAccessKey"
			if strings.EqualFold(p.Mode, "SSO") {
				where = "ssoAuth.stsToken.accessKeyId and ssoAuth.stsToken.secretAccessKey"
			}
			return profileValues{}, fmt.Errorf("profile %q in the shared config file %s has no keys (%s are empty)", name, file, where)
		}
		return v, nil
	}
	names := make([]string, 0, len(cfg.Profiles))
	for _, p := range cfg.Profiles {
		names = append(names, p.Name)
	}
	return profileValues{}, fmt.Errorf("the shared config file %s has no profile %q (it has: %s)", file, name, strings.Join(names, ", "))
}

func fileExists(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir()
}
