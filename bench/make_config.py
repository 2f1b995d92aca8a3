#!/usr/bin/python3
"""Writes a samvad configuration for a benchmark into DIR (used by bench/run).

    make_config.py DIR --departments N --subscribers M --x-address HOST:PORT
                   --smtp-address HOST:PORT --ca-file PEM --smtp-login USER:PASSWORD
                   [--channels twitter,email] [--templates SRC] [--batch-size B]

DIR gets departments.yaml (N departments dept-01..dept-N, each with an X handle and/or an email
list with M subscribers in lists/dept-NN.txt), accounts.json for samvad-x-standin (one account
per department), credentials.yaml (mode 0600) with the same tokens and the SMTP login, and a
copy of the sample templates. Plain Python: no package beyond the standard library.
"""
import argparse
import json
import os
import shutil
import sys

CONSUMER_KEY, CONSUMER_SECRET = "bench-consumer-key", "bench-consumer-secret"
MARATHI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--departments", type=int, required=True)
    p.add_argument("--subscribers", type=int, required=True)
    p.add_argument("--x-address", required=True)
    p.add_argument("--smtp-address", required=True)
    p.add_argument("--ca-file", required=True)
    p.add_argument("--smtp-login", required=True)
    p.add_argument("--channels", default="twitter,email")
    p.add_argument("--batch-size", type=int, help="email batch_size (recipients per SMTP transaction)")
    p.add_argument("--templates", default=os.path.join(os.path.dirname(__file__), "..", "templates"))
    a = p.parse_args()
    channels = set(a.channels.split(","))
    user, password = a.smtp_login.split(":", 1)

    os.makedirs(os.path.join(a.dir, "lists"), exist_ok=True)
    shutil.copytree(a.templates, os.path.join(a.dir, "templates"), dirs_exist_ok=True)

    # json.dumps of a str is a valid YAML double-quoted scalar.
    q = json.dumps
    yaml = [
        "organization:",
        "  name: {en: Pimpri Chinchwad Municipal Corporation, mr: पिंपरी चिंचवड महानगरपालिका}",
        "  short_name: PCMC",
        "  website: https://www.pcmcindia.gov.in",
        "  timezone: Asia/Kolkata",
        "  languages: [mr, en]",
        "twitter:",
        f"  api_base: http://{a.x_address}",
        "email:",
        f"  smtp_url: smtp://{a.smtp_address}",
        "  from: {address: announcements@example.org, name: {en: PCMC, mr: पिंपरी चिंचवड महानगरपालिका}}",
        f"  ca_file: {q(os.path.abspath(a.ca_file))}",
    ] + ([f"  batch_size: {a.batch_size}"] if a.batch_size else []) + [
        "departments:",
    ]
    accounts = []
    credentials = [f"twitter_app: {{consumer_key: {CONSUMER_KEY}, consumer_secret: {CONSUMER_SECRET}}}",
                   f"smtp: {{username: {q(user)}, password: {q(password)}}}"]
    for n in range(1, a.departments + 1):
        dept, handle, user_id = f"dept-{n:02d}", f"PCMCDept{n:02d}", str(2000 + n)
        yaml += [
            f"  {dept}:",
            f"    name: {{en: Department {n:02d}, mr: विभाग {str(n).zfill(2).translate(MARATHI_DIGITS)}}}",
            f"    hashtags: [PCMC, Dept{n:02d}]",
        ]
        if "twitter" in channels:
            yaml.append(f"    twitter: {{handle: {handle}}}")
            if not accounts:
                credentials.append("departments:")
            accounts.append({"user_id": user_id, "username": handle, "access_token": f"{user_id}-token",
                             "access_token_secret": f"{user_id}-secret"})
            credentials += [f"  {dept}:",
                            f"    twitter: {{access_token: {user_id}-token, access_token_secret: {user_id}-secret}}"]
        if "email" in channels:
            yaml += [
                "    email:",
                f"      list: {dept}@lists.example.org",
                f"      subscribers: lists/{dept}.txt",
                f"      unsubscribe: https://lists.example.org/u/{dept}",
            ]
            with open(os.path.join(a.dir, "lists", f"{dept}.txt"), "w") as f:
                f.write(f"# subscribers of {dept}\n")
                width = max(5, len(str(a.subscribers)))
                for i in range(1, a.subscribers + 1):
                    f.write(f"citizen{i:0{width}d}.{dept}@example.org\n")

    with open(os.path.join(a.dir, "departments.yaml"), "w") as f:
        f.write("\n".join(yaml) + "\n")
    if accounts:
        with open(os.path.join(a.dir, "accounts.json"), "w") as f:
            json.dump({"consumer_key": CONSUMER_KEY, "consumer_secret": CONSUMER_SECRET, "accounts": accounts}, f)
    path = os.path.join(a.dir, "credentials.yaml")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(credentials) + "\n")
    os.chmod(path, 0o600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
