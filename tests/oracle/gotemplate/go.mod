module oracle
