package dev.indexer.walk;

/** The rules every walk starts with, in gitignore syntax. */
final class BuiltinRules {
    private BuiltinRules() {}

    /**
     * Version control, dependency and build output directories, lockfiles and minified bundles:
     * large, generated, and never what a search is for. A project's own {@code .gitignore} or
     * {@code .indexerignore} can re-include any of them with a negation such as {@code !vendor/}.
     */
    static final String DEFAULT_EXCLUDES = """
            .git
            .hg/
            .svn/
            .bzr/
            _darcs/
            CVS/
            .jj/
            node_modules/
            bower_components/
            jspm_packages/
            target/
            build/
            dist/
            vendor/
            __pycache__/
            .venv/
            .tox/
            .nox/
            .mypy_cache/
            .pytest_cache/
            .ruff_cache/
            .gradle/
            .terraform/
            .next/
            .nuxt/
            .cache/
            .idea/
            *.min.js
            *.min.mjs
            *.min.css
            *.bundle.js
            *-bundle.js
            *.chunk.js
            *.map
            package-lock.json
            npm-shrinkwrap.json
            yarn.lock
            pnpm-lock.yaml
            bun.lockb
            Cargo.lock
            Gemfile.lock
            poetry.lock
            Pipfile.lock
            composer.lock
            go.sum
            flake.lock
            uv.lock
            *.lock
            """;

    /**
     * Files that hold credentials. These are never read, whatever an ignore file says: a secret
     * that reaches an index (or a shared Qdrant cluster) has left the machine.
     */
    static final String SECRETS = """
            .env
            .env.*
            *.env
            .envrc
            *.pem
            *.key
            *.p8
            *.p12
            *.pfx
            *.jks
            *.keystore
            *.kdbx
            *.gpg
            id_rsa*
            id_dsa*
            id_ecdsa*
            id_ed25519*
            .ssh/
            .gnupg/
            .aws/
            .netrc
            _netrc
            .npmrc
            .pypirc
            .git-credentials
            .htpasswd
            .pgpass
            credentials
            credentials.json
            credentials.xml
            credentials.yml
            credentials.yaml
            *.credentials
            secrets.json
            secrets.yml
            secrets.yaml
            *.tfstate
            *.tfvars
            """;
}
