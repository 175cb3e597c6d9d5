from spinlint.cli import main

raise SystemExit(main())
